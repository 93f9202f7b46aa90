/**
 * Engagement levels in the spirit of the Orbit Model (orbitmodel.com; github.com/orbit-love/orbit-model):
 * a member's "love" is the sum of their activities' weights, discounted by recency, and love
 * places them in one of four levels (1 = innermost).
 *
 * Weights use Orbit's recommended 1–12 scale ("Activities": answering a forum question is active
 * contribution, 6; reading a newsletter is passive consumption, 1). Ours: a thread 6, a reply
 * 5, a reaction 2, a week with reading (only with the member's consent) 1.
 *
 * Recency: activity in the 4 weeks before the end of the period counts fully, weeks 5–13 count
 * half, older activity not at all (Orbit describes members "drifting" outward without activity;
 * the halving is our choice).
 *
 * Levels by a step function on love (orbit-model issue #30 proposes this form, "Orbit 1: Love ≥ 10 …");
 * our thresholds, for a 13-week window: core ≥ 40, active ≥ 12, participant ≥ 4, else observer.
 */
export const WEIGHTS = { thread: 6, comment: 5, reaction: 2, readingWeek: 1 } as const;
export const WINDOW_WEEKS = 13;
/** Members at risk: active in 2+ of the 8 weeks before 3 quiet weeks (the quiet ones end the window). */
export const AT_RISK = { quietWeeks: 3, lookbackWeeks: 8, minActiveWeeks: 2 };
export const RECENT_WEEKS = 4;
export const LEVELS = [
  { level: 1, name: 'core', minLove: 40 },
  { level: 2, name: 'active', minLove: 12 },
  { level: 3, name: 'participant', minLove: 4 },
  { level: 4, name: 'observer', minLove: Number.NEGATIVE_INFINITY },
] as const;

export interface WeekActivity {
  /** Weeks before the period's last week (0 = that week). */
  age: number;
  threads: number;
  comments: number;
  reactions: number;
  readMs: number;
  views: number;
}

export function love(weeks: WeekActivity[]): number {
  let total = 0;
  for (const w of weeks) {
    if (w.age < 0 || w.age >= WINDOW_WEEKS) continue;
    const factor = w.age < RECENT_WEEKS ? 1 : 0.5;
    const reading = w.readMs > 0 || w.views > 0 ? WEIGHTS.readingWeek : 0;
    total +=
      factor *
      (w.threads * WEIGHTS.thread + w.comments * WEIGHTS.comment + w.reactions * WEIGHTS.reaction + reading);
  }
  return total;
}

export function levelOf(l: number): (typeof LEVELS)[number] {
  return LEVELS.find((x) => l >= x.minLove)!;
}
