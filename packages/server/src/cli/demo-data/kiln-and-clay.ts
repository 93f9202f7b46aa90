import type { DemoCommunity } from './types.ts';

export const KILN_AND_CLAY: DemoCommunity = {
  slug: 'kiln-and-clay',
  name: 'Kiln & Clay Collective',
  description:
    'The members-only space of our shared ceramics studio: firing schedules, glaze troubleshooting, studio rota and market plans.',
  visibility: 'private',
  joinPolicy: 'invite',
  guidelines: [
    "1. What is shared in the collective stays in the collective: ask before posting photos of other people's work.",
    '2. Label everything that goes on the kiln shelf with your name and cone.',
    '3. Glaze recipes you post may be used by other members; say so if one is not yours to share.',
    '4. Clean up after yourself. The rota is not optional.',
  ].join('\n'),
  owner: 'hana',
  moderator: 'eli',
  members: ['eli', 'maya', 'lena_b', 'fatima', 'ingrid', 'sofia_k', 'felix', 'yuki', 'iris'],
  threads: [
    {
      by: 'hana',
      pinned: true,
      title: 'Welcome to the collective, and how the kiln shelf works',
      body: `Welcome, everyone. This space is just for studio members.

**Kiln shelf rules**
- Bisque firing on Mondays, glaze firing on Thursdays.
- Put your pieces on the *correct* shelf with a label: name, clay body, cone.
- No glaze on the bottom 5 mm of a foot. Drips cost us kiln shelves.

@eli keeps the rota and the glaze room. Ask either of us anything.`,
      comments: [
        { by: 'sofia_k', body: 'Thank you for the invite! So happy to have a studio home.' },
        {
          by: 'felix',
          body: 'Reminder: the new kiln controller is in. I can show anyone how to program it.',
          replies: [
            { by: 'hana', body: 'Felix saved us about €600 by rewiring the old one. Buy him coffee.' },
          ],
        },
        {
          by: 'yuki',
          body: 'Could we add a shelf for work waiting to be trimmed? Leather-hard pieces keep getting moved.',
        },
      ],
    },
    {
      by: 'ingrid',
      title: 'Crawling glaze on my celadon: help?',
      body: `Test tiles came out with bare patches where the glaze pulled back into beads. Classic crawling.

- Celadon applied fairly thick (dipped 4 s)
- Bisque at cone 04
- Glazed the day after bisque; pieces were a bit dusty

Photos in the studio album. Is it the dust or the thickness? #glaze #troubleshooting`,
      comments: [
        {
          by: 'eli',
          body: `Likely both. Crawling usually means the raw glaze layer shrank and cracked before firing:

1. Wipe bisque with a damp sponge before glazing.
2. Dip for 2-3 s instead of 4.
3. If the recipe has a lot of raw clay, swap part of it for **calcined** kaolin to reduce shrinkage.`,
          replies: [
            {
              by: 'ingrid',
              body: 'About 20% raw kaolin in there. I will try half calcined.',
              replies: [{ by: 'eli', body: 'Post the tiles! I want to see the difference.' }],
            },
          ],
        },
        {
          by: 'hana',
          body: 'Also check the rim of the pot: celadons crawl first where the glaze is thickest.',
        },
        { by: 'yuki', body: 'Happened to me with a dusty shelf too. Sponge wipe fixed it.' },
      ],
    },
    {
      by: 'felix',
      title: 'Cone 6 firing schedule: share yours',
      body: `Now that the controller is programmable, let's agree on a default glaze schedule. Proposal:

| Segment | Rate | Target | Hold |
|---|---|---|---|
| 1 | 90 °C/h | 600 °C | – |
| 2 | 200 °C/h | 1160 °C | – |
| 3 | 60 °C/h | 1222 °C | 10 min |
| 4 | cool 150 °C/h | 1000 °C | – |

The slow cool in segment 4 helps the matte glazes. Objections? #firing #cone6`,
      comments: [
        {
          by: 'eli',
          body: 'Looks good. For the satin mattes, a hold at 1000 °C for 30 min before free cooling gives nicer crystals.',
          replies: [{ by: 'felix', body: 'Added as an optional program: "C6 slow cool".' }],
        },
        { by: 'iris', body: 'Please keep the old program too, my market mugs are all tested with it.' },
        { by: 'ingrid', body: 'Celadon likes the slower final ramp. Thank you!' },
      ],
    },
    {
      by: 'yuki',
      title: 'Trimming bowl feet: chatter marks everywhere',
      body: `My trimming tool keeps **bouncing** and leaving chatter marks on the feet.

Clay is leather-hard (I think?) and the wheel is at medium speed. Is it my tool, the clay, or me? #trimming`,
      comments: [
        {
          by: 'hana',
          body: 'Usually the clay is a little too dry, or the tool is held too loosely. Brace your hands together and take shallower passes.',
          replies: [
            { by: 'yuki', body: 'Shallower passes, okay. I do tend to dig in.' },
            { by: 'sofia_k', body: 'Bracing my hands fixed it for me. Elbow on the knee too.' },
          ],
        },
        { by: 'lena_b', body: 'Sharpen the loop tool! A dull one chatters no matter what.' },
        { by: 'maya', body: 'Ooh, chatter marks on purpose can look lovely too. Just saying 😊' },
      ],
    },
    {
      by: 'iris',
      title: 'Pricing for the winter market: how do you value your time?',
      body: `Every year I undercharge and regret it. My current formula for a mug:

- Materials and firing: €4
- Time: ~45 minutes in total at €20/h = €15
- Studio share and market fee: €3

So €22 minimum, and I have been selling at €18. How do you all price? #selling #markets`,
      comments: [
        {
          by: 'hana',
          body: 'Charge €26. People buying handmade mugs at a market are not comparing them with supermarket mugs.',
          replies: [
            {
              by: 'iris',
              body: 'That feels scary, but okay.',
              replies: [{ by: 'hana', body: 'Raise it and see. You can always run a sale on the last day.' }],
            },
          ],
        },
        { by: 'fatima', body: 'I price the painted pieces higher: each one is unique and buyers get that.' },
        { by: 'felix', body: 'Count your loading and unloading time too. That is hours per market.' },
      ],
    },
    {
      by: 'eli',
      title: 'Studio clean-up rota for December',
      body: `The rota for the next four weeks:

- Week 1: @sofia_k and @yuki
- Week 2: @felix and @ingrid
- Week 3: @lena_b and @iris
- Week 4: @fatima and @maya

**Tasks:** wipe wheels and splash pans, empty the slop bucket into the reclaim tub, mop the floor (wet, never sweep, silica dust). #studio`,
      comments: [
        { by: 'lena_b', body: 'Week 3 works. I will bring a new mop, the old one is basically clay.' },
        {
          by: 'maya',
          body: 'Can I swap week 4 with someone? I have a race that weekend.',
          replies: [{ by: 'yuki', body: 'Take my week 1 and I will do week 4 with Fatima. Sorted.' }],
        },
        { by: 'sofia_k', body: 'Thanks for organising, Eli!' },
      ],
    },
    {
      by: 'sofia_k',
      title: 'My first set of matching mugs!',
      body: `Six mugs that are *roughly* the same size, which is a first for me 🎉

Thrown with 400 g each, pulled handles, glazed in the studio's shino. Photos on the shelf album.

Any tips for making them more consistent next time? #mugs #wheel-throwing`,
      comments: [
        {
          by: 'hana',
          body: 'Congratulations! A rib tool plus a simple height gauge (a chopstick on a block) makes all the difference.',
          replies: [{ by: 'sofia_k', body: 'A chopstick! Love it.' }],
        },
        { by: 'iris', body: 'These would sell at the market. Just saying.' },
        { by: 'felix', body: 'Those handles look really comfortable. Well done!' },
      ],
    },
    {
      by: 'lena_b',
      title: 'Reclaiming clay: from slop bucket to wedging table',
      body: `I have been reclaiming the studio's scraps for a few months. My routine:

1. Dry scraps **completely**, then slake them in water (dry clay slakes fastest).
2. Pour off the clear water, scoop the slurry onto plaster bats.
3. Flip after a day, wedge when it no longer sticks to your hand.

It is about 20 kg a month we don't have to buy. #reclaim #studio`,
      comments: [
        {
          by: 'eli',
          body: 'Add a splash of vinegar to the reclaim and it gets more plastic. Old teacher trick.',
          replies: [{ by: 'lena_b', body: 'Trying it this week.' }],
        },
        { by: 'felix', body: 'Could we build a second plaster bat? I have offcuts from a job.' },
        { by: 'hana', body: 'Thank you for doing this, Lena. Nobody else wants to.' },
      ],
    },
    {
      by: 'fatima',
      title: 'Underglaze transfers: anyone tried them?',
      body: `I paint everything by hand, but I want to try printing my Moroccan tile patterns as underglaze transfers for a series of plates.

Has anyone used **laser-printed underglaze decals**? Do they survive a cone 6 glaze firing? #underglaze #surface`,
      comments: [
        {
          by: 'ingrid',
          body: 'I tried the screen-printed sheets. Apply on bone-dry or bisque, burnish well, and they survive cone 6 fine.',
          replies: [{ by: 'fatima', body: 'Bisque it is. Thank you!' }],
        },
        { by: 'iris', body: 'Those patterns would be beautiful on plates. Put me down for two.' },
      ],
    },
    {
      by: 'maya',
      title: 'Commission idea: finisher cups for the trail club race?',
      body: `Half running club, half studio question. The Ridge & Trail group is putting on a small winter race, and I'd love to give **handmade cups** instead of medals. About 60 of them.

@hana, could the collective make that many by February? Happy to pay for clay, firing and everyone's time. #commission`,
      comments: [
        {
          by: 'hana',
          body: "We could! Simple cylinders, one glaze, our stamp on the bottom. Let's plan it at the next studio meeting.",
          replies: [{ by: 'maya', body: 'Amazing. I will bring the race logo.' }],
        },
        { by: 'yuki', body: 'Count me in for throwing 15.' },
        { by: 'iris', body: "Let's price this properly this time 😉" },
        { by: 'sofia_k', body: 'Finally a use for all my cylinder practice!' },
      ],
    },
  ],
};
