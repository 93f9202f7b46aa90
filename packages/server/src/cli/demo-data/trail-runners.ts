import type { DemoCommunity } from './types.ts';

export const TRAIL_RUNNERS: DemoCommunity = {
  slug: 'trail-runners',
  name: 'Ridge & Trail Runners',
  description:
    'A friendly crew of trail and mountain runners: training, routes, gear, race reports and the Saturday group run. All paces welcome.',
  visibility: 'public',
  joinPolicy: 'open',
  guidelines: [
    '1. Be kind. Every pace is a real pace.',
    '2. Share routes responsibly: no private land, respect seasonal closures.',
    '3. Medical questions get general experience, not diagnoses. See a professional for injuries.',
    '4. Gear talk is welcome; undisclosed affiliate links are not.',
  ].join('\n'),
  owner: 'maya',
  moderator: 'jonas',
  members: [
    'jonas',
    'priya',
    'rosa_m',
    'kwame',
    'lena_b',
    'diego',
    'sam_w',
    'oskar',
    'ben_c',
    'chloe',
    'raj',
    'tom_h',
    'noah',
    'zara',
  ],
  threads: [
    {
      by: 'maya',
      pinned: true,
      title: 'Welcome to Ridge & Trail: start here',
      body: `Hi everyone, and welcome!

This is a small group on purpose. A few things that make it work:

- **Introduce yourself** below: where you run, what you are training for (or not).
- The **Saturday group run** is posted every week with a #group-run tag.
- Race reports go under #race-report, gear questions under #gear.

@jonas and I moderate. Ping us if anything feels off.`,
      comments: [
        {
          by: 'kwame',
          body: 'Kwame here: five road marathons, zero trail races. Signed up for a 50K in October, which is either brave or silly. Looking for hill advice!',
          replies: [
            {
              by: 'maya',
              body: 'Brave, definitely. Come to Saturdays, the Blue Ridge loop has all the hills you need.',
            },
          ],
        },
        {
          by: 'rosa_m',
          body: 'Rosa, sports dietitian, mostly 10-20K on the valley trails. Happy to answer fuelling questions (general ones!).',
        },
        {
          by: 'noah',
          body: 'Noah. I sweep at most of the local races, so if you see a guy in a hi-vis vest at the back, say hi.',
          replies: [
            {
              by: 'diego',
              body: 'Noah is the reason nobody got lost at the Cascade 30K last year. Legend.',
              replies: [{ by: 'noah', body: 'Someone has to pick up the flagging tape 😄' }],
            },
          ],
        },
        { by: 'zara', body: 'Zara, hill runner, new to the area. Mostly run alone, would love company.' },
      ],
    },
    {
      by: 'kwame',
      title: 'First 50K in October: how did you structure your long runs?',
      body: `Coming from road marathons, my long runs are all about distance. Everyone tells me trails are about **time on feet** instead.

Current plan, 16 weeks out:

1. One long run a week, building from 2h to 5h
2. A back-to-back weekend every third week
3. Hill repeats on Wednesdays

Does that sound sane? What would you change? #ultra #training`,
      comments: [
        {
          by: 'jonas',
          body: 'Sane. I would add one thing: practise the **downhills**. Quads fail on 50Ks far more often than lungs do.',
          replies: [
            {
              by: 'kwame',
              body: 'Any particular session for that?',
              replies: [
                {
                  by: 'jonas',
                  body: 'Run the descent of the quarry trail at steady effort, walk back up, 4-6 times. Light feet, short steps.',
                },
              ],
            },
          ],
        },
        {
          by: 'lena_b',
          body: 'Also practise eating on the long runs. Your stomach needs training as much as your legs.',
        },
        {
          by: 'rosa_m',
          body: 'Agree with @lena_b. Aim for something every 30-45 minutes from the first hour, not when you feel hungry.',
        },
        {
          by: 'sam_w',
          body: 'And keep the back-to-backs easy. I turned mine into races and got injured in week 9.',
        },
      ],
    },
    {
      by: 'lena_b',
      title: 'Poles or no poles on steep climbs?',
      body: `Honest question for the group. On anything over ~15% I am faster with poles, but I keep reading that they make you lazy.

What's your rule? Always, only in races, never? #gear #skyrunning`,
      comments: [
        {
          by: 'jonas',
          body: 'Above 1000 m of climbing in a race: always. Below that I leave them at home and do hill work instead.',
        },
        {
          by: 'oskar',
          body: 'Folding carbon poles changed my mind. They live in the vest until the first big climb.',
          replies: [{ by: 'lena_b', body: 'Which ones? Mine rattle like a bag of cutlery.' }],
        },
        {
          by: 'chloe',
          body: 'Practise with them before race day. I nearly took out a marshal in my first race with poles.',
        },
      ],
    },
    {
      by: 'diego',
      title: 'Saturday group run: Blue Ridge loop, 18 km, 7:30 start',
      body: `Meeting at the **north car park** at 7:30. About 18 km and 650 m of climbing.

- Two groups: steady and chatty. Nobody gets left at a junction.
- Bring a jacket, the ridge is windy.
- Coffee after at the bakery for those who want it ☕

Reply if you're coming so I know how many to wait for. #group-run`,
      comments: [
        { by: 'zara', body: "I'm in! First time, chatty group please." },
        {
          by: 'tom_h',
          body: 'Count me in. @diego, is the creek crossing still flooded?',
          replies: [{ by: 'diego', body: 'Dropped a lot since Tuesday, ankle deep at most.' }],
        },
        { by: 'kwame', body: 'In, steady group. Need the hills.' },
        { by: 'maya', body: 'I will bring the spare headlamps in case we are slow getting back.' },
      ],
    },
    {
      by: 'oskar',
      title: "Shoe rotation check: what's on your feet this season?",
      body: `Mine right now:

| Shoe | Use | km so far |
|---|---|---|
| Speedgoat-style max cushion | long runs | 410 |
| Low-drop grippy shoe | muddy technical stuff | 220 |
| Old road shoes | the towpath | 900 (retiring soon) |

What do you rotate, and how many km before you retire a pair? #gear #shoes`,
      comments: [
        { by: 'ben_c', body: 'One pair until they die. Rotation is a conspiracy by shoe companies 😅' },
        {
          by: 'raj',
          body: 'I log them. Average 650 km before the midsole feels flat. Lugs go first on the grippy ones.',
          replies: [{ by: 'oskar', body: 'Same here, lugs at ~500 km on the mud shoes.' }],
        },
        {
          by: 'chloe',
          body: 'Two pairs: one for mud, one for everything else. Helps them dry out between runs too.',
        },
      ],
    },
    {
      by: 'sam_w',
      title: 'Rolled my ankle again: prehab routines that actually stick?',
      body: `Third time this year, same ankle. Physio gave me exercises and I did them for two weeks, then stopped.

What do you do that you **actually keep doing**? Short, boring and effective is what I need. #injury #strength`,
      comments: [
        {
          by: 'maya',
          body: `Physio hat on (general advice, not a diagnosis): the ones that stick are the ones tied to something you already do.

- Single-leg balance while brushing your teeth
- Calf raises on the stairs at work
- Hop-and-hold on a cushion before every run, 2 minutes`,
          replies: [
            { by: 'sam_w', body: 'Brushing teeth on one leg, I can manage that. Thank you!' },
            { by: 'noah', body: 'The toothbrush one works, been doing it for a year. No rolls since.' },
          ],
        },
        { by: 'jonas', body: 'Also shorten your stride on rocky downhills. Quick feet beat big leaps.' },
      ],
    },
    {
      by: 'rosa_m',
      title: 'Fuelling on the run without GI trouble',
      body: `A few of you asked after the Saturday run, so here's the short version:

1. **Train your gut**: eat on every run over 75 minutes, not only on race day.
2. Start with ~30 g carbs per hour, build towards 60 g over a few weeks.
3. Test *everything* before the race: gels, chews, real food.
4. Plant-based options work fine. @priya has great homemade rice-cake recipes in the Kitchen.

Questions welcome, as long as they're general. #nutrition #fuelling`,
      comments: [
        {
          by: 'priya',
          body: 'Rice cakes with a little miso and maple syrup, wrapped in foil. Salty and sweet, easy to carry.',
          replies: [{ by: 'kwame', body: 'Trying these on my 3-hour run this weekend.' }],
        },
        { by: 'zara', body: 'Dates and a pinch of salt work for me, but only below threshold effort.' },
        { by: 'chloe', body: 'Caffeine gels in the last hour only. Learned that the hard way.' },
      ],
    },
    {
      by: 'noah',
      title: 'Trail etiquette reminder: yielding, passing and headphones',
      body: `With the paths getting busier, a gentle reminder:

- Uphill runners and hikers have the right of way.
- Announce yourself before passing: "on your left" and a *thank you* go a long way.
- One earbud out, or none at all, so you can hear bikes and people.
- Stay on the path through the meadow, it is nesting season.

Thanks all 🙏 #etiquette`,
      comments: [
        { by: 'jonas', body: 'Pinning-worthy. Thanks Noah.' },
        {
          by: 'tom_h',
          body: 'A bell on the vest works wonders with dog walkers too.',
          replies: [{ by: 'ben_c', body: 'Also bears, apparently. Not that we have any here.' }],
        },
        { by: 'diego', body: "I'll repeat this at the start of Saturday's run." },
      ],
    },
    {
      by: 'chloe',
      title: 'Race recap: Cascade 30K, muddy, humbling, wonderful',
      body: `Finished in 3:52, which is 20 minutes slower than my plan and I don't care at all.

**The good:** the climb to the falls, the aid station volunteers, the view from the ridge.
**The bad:** km 18-22 was pure mud. I fell twice.
**Lessons:** grippier shoes, and walk the steep bits earlier.

Thanks @noah for sweeping and cheering the last runners in! #race-report`,
      comments: [
        { by: 'maya', body: 'Congratulations! Mud years are the best stories.' },
        {
          by: 'oskar',
          body: 'Which shoes did you wear? Asking for science.',
          replies: [
            {
              by: 'chloe',
              body: 'My road-ish trail shoes. Big mistake.',
              replies: [{ by: 'oskar', body: 'Lugs of 5 mm or more next time, you will fly.' }],
            },
          ],
        },
        { by: 'noah', body: 'You were smiling at every aid station. Well run!' },
        {
          by: 'kwame',
          body: 'This is exactly the kind of recap I needed before October. Thanks for writing it up.',
        },
      ],
    },
    {
      by: 'tom_h',
      title: 'Headlamp recommendations for winter mornings?',
      body: `Sunrise is after 7:30 now, so most of my runs are in the dark.

Looking for something that lasts 2 hours on a medium setting, doesn't bounce, and works in the cold. Budget is flexible. #gear #night-running`,
      comments: [
        {
          by: 'ben_c',
          body: `Night runner here, I own far too many. My advice:

- **400-500 lumens** is plenty on trails
- Rear battery pack for balance and warmth
- Reactive lighting is nice but not essential`,
          replies: [
            { by: 'tom_h', body: 'Rear battery pack is a good point, my current one bounces forward.' },
          ],
        },
        { by: 'raj', body: 'Carry a small backup light too. Cold kills batteries fast.' },
        { by: 'lena_b', body: 'Waist lights are underrated: the shadows make roots easier to see.' },
      ],
    },
  ],
};
