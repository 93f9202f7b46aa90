import type { RewardInput } from '../../modules/gamification/rewards.service.ts';
import type { SettingsPatch } from '../../modules/gamification/settings.ts';

/**
 * What the demo communities' owners set up for gamification: their own level names (with flair
 * and perks) and rewards. Communities not listed keep the defaults.
 */
export interface DemoGamification {
  settings?: SettingsPatch;
  rewards: RewardInput[];
  /** A member the moderator hands the "Community hero" badge near the end, and why. */
  hero?: { user: string; reason: string };
  /** A member who redeems a reward (by title) near the end. */
  redeem?: { by: string; reward: string };
}

export const DEMO_GAMIFICATION: Record<string, DemoGamification> = {
  'trail-runners': {
    settings: {
      levels: [
        { name: 'Trailhead', minPoints: 0 },
        { name: 'Ridge runner', minPoints: 20, perks: { flair: '⛰ Ridge runner' } },
        {
          name: 'Summit',
          minPoints: 60,
          perks: { flair: '🏔 Summit', tags: ['crew-lounge'], earlyEventAccessHours: 24 },
        },
        { name: 'Ultra', minPoints: 150, perks: { flair: '🔥 Ultra', earlyEventAccessHours: 48 } },
      ],
    },
    rewards: [
      {
        kind: 'promo_code',
        title: '15% off at Switchback Outfitters',
        description: 'Our partner shop for shoes, poles and headlamps. One code per member.',
        costPoints: 15,
        codes: ['SWITCH-7Q2K', 'SWITCH-9M4T', 'SWITCH-3XRB', 'SWITCH-P8LD', 'SWITCH-W6ZC'],
      },
      {
        kind: 'seat',
        title: 'Seat in the van to the Skyline 25K',
        description: 'Two seats left in the club van (leaves 5:30 from the usual car park).',
        costPoints: 20,
        stock: 2,
        secret: 'Van plate HX-204, driver Jonas: text him on the morning if you are late.',
      },
      {
        kind: 'content',
        title: 'Summit crew route book (GPX)',
        description: 'The crew’s favourite unmarked loops, with notes on water and closures.',
        costPoints: 0,
        minLevel: 3,
        perMemberLimit: 1,
        secret: 'Route book: https://example.com/ridge-trail/route-book.gpx (password: switchback)',
      },
    ],
    hero: { user: 'rosa_m', reason: 'For sweeping every Saturday group run this month' },
    redeem: { by: 'maya', reward: 'Seat in the van to the Skyline 25K' },
  },
  'kiln-and-clay': {
    settings: {
      levels: [
        { name: 'Wedger', minPoints: 0 },
        { name: 'Thrower', minPoints: 15, perks: { flair: 'Thrower' } },
        { name: 'Glazer', minPoints: 50, perks: { flair: 'Glazer' } },
        { name: 'Kiln keeper', minPoints: 120, perks: { flair: 'Kiln keeper' } },
      ],
    },
    rewards: [
      {
        kind: 'seat',
        title: 'A shelf in the next glaze firing',
        description: 'Members trade points for kiln space in the monthly glaze firing.',
        costPoints: 10,
        stock: 4,
        perMemberLimit: null,
        secret: 'Bring your pieces to the studio by Thursday 6pm, labelled with your name.',
      },
    ],
  },
};
