import { type Static, Type } from '@sinclair/typebox';
import { invalid } from '../../platform/errors.ts';
import { TAG_PATTERN } from '../../platform/tags.ts';
import type { Q } from './gamification.queries.ts';

/** Every way to earn points; the ledger's `reason` column. */
export const REASONS = [
  'thread_created',
  'comment_created',
  'reaction_received',
  'accepted_answer',
  'helpful_note',
  'event_attended',
  'daily_visit',
] as const;
export type Reason = (typeof REASONS)[number];
/** The ledger reason of a redemption (negative points); never counted as "earned". */
export const SPENT = 'redeemed';

export interface LevelDef {
  name: string;
  minPoints: number;
  perks: {
    /** Shown next to the member's name (e.g. "🏔 Summit"). */
    flair: string | null;
    /**
     * Level-gated tags, the "sub-forum" perk: starting a thread with one of these tags, adding it
     * to a thread, or replying in such a thread needs this level (moderators are exempt).
     * Reading is not gated (the community's own visibility decides who reads).
     */
    tags: string[];
    /** Hours before everyone else a member may book event seats (for the events module to honour). */
    earlyEventAccessHours: number;
  };
}

const perks = (flair: string | null = null, tags: string[] = [], early = 0) => ({
  flair,
  tags,
  earlyEventAccessHours: early,
});

/**
 * Defaults every community starts with (no row = defaults; a stored document is merged over
 * them, so a new setting reaches every community without a migration).
 *
 * Weights: an accepted answer is worth +15 as on Stack Exchange ("What is reputation?",
 * stackoverflow.com/help/whats-reputation: "answer is marked accepted: +15"); the rest are ours,
 * scaled so that writing beats being liked. Daily caps follow Stack Exchange's idea of a daily
 * reputation cap (200 a day from votes, same page), scaled to our one-point reactions; visits
 * count once a day anyway.
 */
export const DEFAULT_SETTINGS = {
  weights: {
    thread_created: 5,
    comment_created: 2,
    reaction_received: 1,
    accepted_answer: 15,
    helpful_note: 10,
    event_attended: 10,
    daily_visit: 1,
  } as Record<Reason, number>,
  /** Most points a member earns from each reason per UTC day; null = no cap. */
  dailyCaps: {
    thread_created: 25,
    comment_created: 40,
    reaction_received: 50,
    accepted_answer: 60,
    helpful_note: 50,
    event_attended: 30,
    daily_visit: null,
  } as Record<Reason, number | null>,
  /**
   * Reaction ring: two members who each reacted to the other's content at least `minEach` times
   * within `windowDays` earn no points from each other, and what they already traded in that
   * window is taken back. Our own threshold (no published source): five mutual reactions a month
   * is well above what two regulars trade naturally in a small community.
   */
  ring: { minEach: 5, windowDays: 30 },
  /** Levels by earned points (spending on rewards never lowers a level). */
  levels: [
    { name: 'Newcomer', minPoints: 0, perks: perks() },
    { name: 'Regular', minPoints: 25, perks: perks('Regular') },
    { name: 'Contributor', minPoints: 100, perks: perks('Contributor', [], 24) },
    { name: 'Pillar', minPoints: 500, perks: perks('Pillar', [], 48) },
  ] as LevelDef[],
};
export type GamificationSettings = typeof DEFAULT_SETTINGS;

const weight = Type.Integer({ minimum: 0, maximum: 1000 });
const cap = Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100_000 })]);
const byReason = <T extends typeof weight | typeof cap>(t: T) =>
  Type.Partial(Type.Object(Object.fromEntries(REASONS.map((r) => [r, t])) as Record<Reason, T>), {
    additionalProperties: false,
  });

export const Level = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    minPoints: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    perks: Type.Optional(
      Type.Object(
        {
          flair: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 24 })])),
          tags: Type.Optional(Type.Array(Type.String({ maxLength: 33 }), { maxItems: 10 })),
          earlyEventAccessHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** PATCH body: only what changes; `levels` replaces the whole list. (Null comes first in unions: the validator coerces types, and would turn null into 0.) */
export const SettingsPatch = Type.Object(
  {
    weights: Type.Optional(byReason(weight)),
    dailyCaps: Type.Optional(byReason(cap)),
    ring: Type.Optional(
      Type.Object(
        {
          minEach: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
        },
        { additionalProperties: false },
      ),
    ),
    levels: Type.Optional(Type.Array(Level, { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type SettingsPatch = Static<typeof SettingsPatch>;

/** Levels must start at 0 points, rise strictly, and have distinct names; tags are normalized. */
function checkLevels(levels: Static<typeof Level>[]): LevelDef[] {
  if (levels[0]!.minPoints !== 0) invalid('body.levels.0.minPoints', 'the first level must start at 0');
  const names = new Set<string>();
  return levels.map((l, i) => {
    if (i > 0 && l.minPoints <= levels[i - 1]!.minPoints) {
      invalid(`body.levels.${i}.minPoints`, 'must be higher than the level before');
    }
    const name = l.name.trim();
    if (!name) invalid(`body.levels.${i}.name`, 'must not be blank');
    if (names.has(name.toLowerCase())) invalid(`body.levels.${i}.name`, `"${name}" is used twice`);
    names.add(name.toLowerCase());
    const tags = (l.perks?.tags ?? []).map((t, j) => {
      const tag = t.trim().replace(/^#/, '').toLowerCase();
      if (!TAG_PATTERN.test(tag)) invalid(`body.levels.${i}.perks.tags.${j}`, `"${t}" is not a tag`);
      return tag;
    });
    return {
      name,
      minPoints: l.minPoints,
      perks: {
        flair: l.perks?.flair?.trim() || null,
        tags: [...new Set(tags)],
        earlyEventAccessHours: l.perks?.earlyEventAccessHours ?? 0,
      },
    };
  });
}

/** Merges a stored or sent document over `base`; unknown keys are dropped, so old documents stay valid. */
export function mergeSettings(base: GamificationSettings, patch: unknown): GamificationSettings {
  const p = (patch ?? {}) as Partial<Record<keyof GamificationSettings, unknown>>;
  const pick = <T extends object>(b: T, v: unknown): T => {
    if (typeof v !== 'object' || v === null) return b;
    const out = { ...b } as Record<string, unknown>;
    for (const [k, val] of Object.entries(v)) if (k in b && val !== undefined) out[k] = val;
    return out as T;
  };
  return {
    weights: pick(base.weights, p.weights),
    dailyCaps: pick(base.dailyCaps, p.dailyCaps),
    ring: pick(base.ring, p.ring),
    levels: Array.isArray(p.levels) && p.levels.length ? (p.levels as LevelDef[]) : base.levels,
  };
}

export async function loadSettings(db: Q, communityId: number): Promise<GamificationSettings> {
  const row = await db
    .selectFrom('gamification_settings')
    .select('settings')
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return row ? mergeSettings(DEFAULT_SETTINGS, JSON.parse(row.settings)) : DEFAULT_SETTINGS;
}

export async function saveSettings(
  db: Q,
  communityId: number,
  patch: SettingsPatch,
  by: number,
  now: number,
): Promise<GamificationSettings> {
  const current = await loadSettings(db, communityId);
  const levels = patch.levels ? checkLevels(patch.levels) : undefined;
  const next = mergeSettings(current, { ...patch, levels });
  const settings = JSON.stringify(next);
  await db
    .insertInto('gamification_settings')
    .values({ community_id: communityId, settings, updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('community_id').doUpdateSet({ settings, updated_by: by, updated_at: now }))
    .execute();
  return next;
}
