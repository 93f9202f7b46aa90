import type { DemoCommunity } from './types.ts';

export const PLANT_KITCHEN: DemoCommunity = {
  slug: 'plant-kitchen',
  name: 'The Plant Kitchen',
  description:
    'Vegan home cooks swapping recipes, fixes for kitchen disasters and weeknight ideas. Beginners and chefs equally welcome.',
  visibility: 'public',
  joinPolicy: 'request',
  guidelines: [
    '1. Plant-based recipes only; no debates about whether to be vegan.',
    '2. Credit recipes you adapt from books, blogs or grandmothers.',
    '3. Mark allergens (nuts, soy, gluten, sesame) in recipe posts.',
    '4. Be generous with beginners. Everyone burned their first batch of tofu.',
  ].join('\n'),
  owner: 'priya',
  moderator: 'theo',
  members: [
    'theo',
    'maya',
    'hana',
    'rosa_m',
    'aiko',
    'nadia',
    'fatima',
    'marco',
    'chloe',
    'sofia_k',
    'amara',
    'grace_l',
    'leo_p',
  ],
  pending: ['zara'],
  threads: [
    {
      by: 'priya',
      pinned: true,
      title: 'Welcome to The Plant Kitchen: how this place works',
      body: `Hello and welcome! 🌱

We keep the Kitchen small so that every question gets a real answer. A few habits:

- Post recipes with **ingredients first**, then method, and mark allergens.
- Tag the main ingredient or cuisine: #tofu, #baking, #budget and so on.
- Show us your disasters too. They are the most useful posts.

@theo and I approve new members and moderate. Tell us what you're cooking this week!`,
      comments: [
        {
          by: 'aiko',
          body: 'Tofu everything this week. My kids have finally stopped picking it out of the stir-fry.',
        },
        {
          by: 'nadia',
          body: 'A big pot of mujaddara for five flatmates. Cheapest dinner I know.',
          replies: [
            { by: 'priya', body: 'The crispy onions are the whole point. Please share your method!' },
          ],
        },
        { by: 'marco', body: 'Pasta e ceci, every Tuesday, forever.' },
      ],
    },
    {
      by: 'aiko',
      title: 'Silken tofu "scrambled eggs" that fooled my dad',
      body: `My dad is a strict eggs-for-breakfast man. He had two helpings and didn't notice. 😇

**Ingredients** (2 people, *contains soy*)
- 300 g silken tofu, drained
- 1 tbsp olive oil, pinch of turmeric
- ½ tsp kala namak (black salt): this is the eggy part
- Chives, pepper

**Method**
1. Warm the oil, add the tofu in big spoonfuls.
2. Fold gently with turmeric for 3 minutes. Don't over-stir.
3. Kala namak goes in **at the end**, off the heat.

#tofu #breakfast`,
      comments: [
        {
          by: 'theo',
          body: 'Adding the black salt off the heat is the key detail. The sulphur smell fades if it cooks.',
          replies: [{ by: 'aiko', body: 'Yes! Learned that after three sad batches.' }],
        },
        {
          by: 'grace_l',
          body: 'Made this for my son before a race, he asked for it again the next morning.',
        },
        {
          by: 'hana',
          body: 'A spoon of white miso in with the tofu makes it richer. Try it!',
          replies: [
            {
              by: 'aiko',
              body: 'Miso and kala namak together? Sounds strong.',
              replies: [{ by: 'hana', body: 'Use half the salt. Trust me.' }],
            },
          ],
        },
        { by: 'sofia_k', body: 'Saving this. Can it be made the night before?' },
      ],
    },
    {
      by: 'theo',
      title: 'Aquafaba meringues keep weeping: what am I doing wrong?',
      body: `Pastry chef confession: I can do a laminated vegan croissant but my aquafaba meringues **weep** syrup after an hour.

What I do now:
- Chickpea water reduced by a third
- Cream of tartar, ½ tsp per 100 ml
- Caster sugar added slowly
- 100 °C for 90 minutes, cooled in the oven

Ideas? #baking #aquafaba`,
      comments: [
        {
          by: 'chloe',
          body: 'Humidity? Mine only weep on rainy days. Try drying them longer at a lower heat, like 80 °C.',
          replies: [{ by: 'theo', body: 'It has rained all week, so that might be it.' }],
        },
        {
          by: 'priya',
          body: 'Switch to icing sugar for half the amount. It dissolves completely and I never get weeping.',
        },
        { by: 'amara', body: 'Honestly I just eat them while they are weeping. No problem to solve 😂' },
      ],
    },
    {
      by: 'nadia',
      title: 'Budget week: feeding two on €40, my plan',
      body: `Challenge accepted from my flatmate. Here's the plan:

- **Mon** red lentil dal and rice
- **Tue** leftover dal stuffed in flatbreads
- **Wed** pasta with white beans, garlic and greens
- **Thu** chickpea shakshuka
- **Fri** fried rice with whatever is left

Big buys: 2 kg rice, 1 kg red lentils, dried chickpeas, frozen spinach, tinned tomatoes. Total so far €34.60. #budget #meal-prep`,
      comments: [
        {
          by: 'leo_p',
          body: 'Dried chickpeas are so much cheaper. Have you got a pressure cooker?',
          replies: [
            { by: 'nadia', body: 'No, I soak overnight and simmer. Takes ages, but it costs nothing.' },
          ],
        },
        { by: 'fatima', body: "Use the chickpea water from Thursday for Theo's meringues 😄" },
        {
          by: 'rosa_m',
          body: 'Solid protein across the week too. A handful of seeds on the fried rice and you are set.',
        },
        { by: 'priya', body: 'Please post what you ended up spending! This could be a monthly thread.' },
      ],
    },
    {
      by: 'marco',
      title: 'Cashew-free "parmesan" for people with nut allergies',
      body: `Every vegan parmesan recipe is cashews. I'm allergic, so here's mine (*nut-free, contains sesame*):

- 4 tbsp toasted sunflower seeds
- 2 tbsp hulled hemp seeds
- 3 tbsp nutritional yeast
- 1 tsp white miso, ½ tsp garlic powder, salt

Pulse everything until sandy. It keeps for a week in the fridge. #allergies #cheese`,
      comments: [
        { by: 'grace_l', body: 'Making this for the school potluck, half the class has nut allergies.' },
        {
          by: 'theo',
          body: 'Sunflower seeds can turn green with baking soda. Worth a warning if anyone bakes with it!',
          replies: [
            { by: 'marco', body: 'Ha! Chlorogenic acid, right? Good thing it is only for pasta.' },
            { by: 'aiko', body: 'My son would love green cheese.' },
          ],
        },
        { by: 'maya', body: 'Made it last night. Nobody missed the cashews.' },
      ],
    },
    {
      by: 'fatima',
      title: 'Harira for Ramadan, the vegan way',
      body: `My grandmother's harira, just without the lamb. Deep, lemony, very filling after a long day.

The trick: **brown the tomato paste** with the spices before the broth goes in, and finish with a *tadouira* (flour and water slurry) for the silky texture.

Recipe in the first comment. #soup #moroccan`,
      comments: [
        {
          by: 'fatima',
          body: `**Ingredients:** onion, celery, 2 tbsp tomato paste, ginger, turmeric, cinnamon, 150 g lentils, 1 tin chickpeas, 1.5 l stock, lots of parsley and coriander, lemon.

**Method:** soften the veg, brown the paste with the spices, add lentils and stock, simmer 30 min, add the chickpeas, thicken, finish with herbs and lemon.`,
          replies: [{ by: 'amara', body: 'Cinnamon in soup! Making it tomorrow.' }],
        },
        { by: 'nadia', body: 'This is going into budget week two.' },
        { by: 'priya', body: 'Beautiful. Thank you for sharing a family recipe with us ❤️' },
      ],
    },
    {
      by: 'grace_l',
      title: 'Best protein sources for a teenage athlete?',
      body: `My 15-year-old runs cross-country and went vegan last month. I want to make sure he is eating **enough**, not only enough protein.

He likes: tofu, peanut butter, pasta, anything spicy.
He hates: beans (of course).

@rosa_m, any general pointers? #nutrition #family`,
      comments: [
        {
          by: 'rosa_m',
          body: `General pointers, not a meal plan:

- Energy first: growing teens who run need a *lot* of food.
- Protein at every meal: tofu, tempeh, soy milk, seitan, lentil pasta.
- Ask your doctor about B12 and iron checks.
- Hidden beans: blend white beans into pasta sauce. He won't know.`,
          replies: [
            {
              by: 'grace_l',
              body: 'Hidden beans is genius.',
              replies: [{ by: 'rosa_m', body: 'Parental sneakiness is a legitimate nutrition strategy 😄' }],
            },
          ],
        },
        {
          by: 'chloe',
          body: 'Seitan! High protein and no beans. I can share my recipe once I fix the texture.',
        },
        { by: 'aiko', body: 'Soy milk hot chocolate after training was a winner in our house.' },
      ],
    },
    {
      by: 'amara',
      title: 'Jollof night: share your smoky tricks',
      body: `Cooking jollof for twelve on Saturday. Non-negotiables in my kitchen:

1. Blend tomatoes, peppers and scotch bonnet, then **fry the base until it darkens**.
2. Parboiled long-grain rice, washed well.
3. Foil under the lid, lowest heat, no stirring.

The smoky "party" flavour comes from letting the bottom catch *just a little*. How do you get it without a wood fire? #rice #west-african`,
      comments: [
        {
          by: 'fatima',
          body: 'A pinch of smoked paprika, and I let it catch on purpose for the last 5 minutes.',
        },
        {
          by: 'priya',
          body: 'Charcoal trick: heat a small piece of charcoal, put it in a metal cup on top of the rice, drizzle oil, cover for 2 minutes. (Indian dhungar method.)',
          replies: [
            {
              by: 'amara',
              body: 'This feels dangerous and I love it.',
              replies: [{ by: 'priya', body: 'Open a window and you will be fine 😅' }],
            },
          ],
        },
        { by: 'leo_p', body: 'Never made jollof, is there a beginner version?' },
      ],
    },
    {
      by: 'chloe',
      title: 'Homemade seitan: texture too spongy',
      body: `Third attempt and it still has that bath-sponge texture.

My recipe: vital wheat gluten, chickpea flour, stock, soy sauce. I knead for 5 minutes and simmer for an hour.

Should I be steaming instead? Baking? #seitan`,
      comments: [
        {
          by: 'theo',
          body: 'Simmering is the sponge culprit. **Steam it wrapped tightly in foil**, then let it rest overnight in the fridge. The texture firms up a lot.',
          replies: [{ by: 'chloe', body: 'Overnight rest! I always ate it the same day. Trying this.' }],
        },
        { by: 'marco', body: 'Less kneading, too. Over-kneaded seitan gets rubbery in my experience.' },
        {
          by: 'sofia_k',
          body: 'I add a grated beetroot for colour and moisture. Looks like ham, tastes lovely.',
        },
      ],
    },
    {
      by: 'leo_p',
      title: 'Is a pressure cooker worth it for beans?',
      body: `Tiny kitchen, one shelf of storage. I eat beans 4-5 times a week, all from tins right now.

Would a pressure cooker pay for itself, or is it one more gadget gathering dust? #beans #equipment`,
      comments: [
        {
          by: 'nadia',
          body: 'I wish I had one. Dried beans are a third of the price of tins where I live.',
          replies: [{ by: 'leo_p', body: 'That alone might convince me.' }],
        },
        {
          by: 'priya',
          body: 'Mine is the most-used thing in my kitchen after the knife. Dal in 12 minutes!',
        },
        {
          by: 'hana',
          body: 'Electric multi-cooker if the space is tight. It replaced my rice cooker and slow cooker.',
        },
      ],
    },
  ],
};
