import { type Static, Type } from '@sinclair/typebox';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { SPAM_FLAG_THRESHOLD, SPAM_HOLD_THRESHOLD } from './spam.ts';

/**
 * Per-community moderation settings, stored as one JSON document and merged over these
 * defaults (so a new setting gets its default everywhere without a migration).
 *
 * Trust thresholds: Discourse's defaults (discourse/discourse config/site_settings.yml,
 * `tl1_requires_*`, `tl2_requires_*`, `tl3_*`; explained in "Understanding Discourse Trust
 * Levels", blog.discourse.org 2018). New-member limits: Discourse's `newuser_max_links` (2),
 * `newuser_max_embedded_media` (1), `newuser_max_mentions_per_post` (2).
 */
export const DEFAULT_SETTINGS = {
  /** Show who took each action in the public moderation log (moderators always see it). */
  modlogShowModerators: true,
  trust: {
    tl1: { threadsEntered: 5, postsRead: 30, minutesRead: 10 },
    tl2: {
      threadsEntered: 20,
      postsRead: 100,
      minutesRead: 60,
      daysVisited: 15,
      likesGiven: 1,
      likesReceived: 1,
      repliesInThreads: 3,
    },
    tl3: {
      periodDays: 100,
      daysVisited: 50,
      repliesInThreads: 10,
      threadsReadPercent: 25,
      threadsReadCap: 500,
      postsReadPercent: 25,
      postsReadCap: 20000,
      threadsEnteredAllTime: 200,
      postsReadAllTime: 500,
      likesGiven: 30,
      likesReceived: 20,
      likesReceivedDays: 7,
      likesReceivedUsers: 5,
      maxRemovedPosts: 5,
      /** Discourse keeps TL3 for 14 days after promotion, then drops it below 90% of the requirements. */
      graceDays: 14,
      keepRatio: 0.9,
    },
  },
  /** What each trust level unlocks. */
  unlocks: {
    /** Below this level the new-member limits apply (Discourse: trust level 0). */
    newMemberBelow: 1,
    maxLinksNewMember: 2,
    maxImagesNewMember: 1,
    maxMentionsNewMember: 2,
    postsPerHourNewMember: 5,
    directMessages: 1,
    editWikiPosts: 1,
    writeContextNotes: 2,
    rateContextNotes: 1,
  },
  automod: {
    /** Threads + comments per minute by one member before further posts are refused. */
    floodPerMinute: 5,
    duplicateWindowHours: 24,
    spamHoldThreshold: SPAM_HOLD_THRESHOLD,
    spamFlagThreshold: SPAM_FLAG_THRESHOLD,
    /** Spam from members below this trust level is held; from others, only flagged. */
    holdSpamBelowTrust: 2,
  },
};
export type ModerationSettings = typeof DEFAULT_SETTINGS;

const count = (max: number) => Type.Optional(Type.Integer({ minimum: 0, maximum: max }));
const ratio = Type.Optional(Type.Number({ minimum: 0, maximum: 1 }));
const level = Type.Optional(Type.Integer({ minimum: 0, maximum: 4 }));

/** A partial settings document (PATCH): only what changes. */
export const SettingsPatch = Type.Object(
  {
    modlogShowModerators: Type.Optional(Type.Boolean()),
    trust: Type.Optional(
      Type.Object({
        tl1: Type.Optional(
          Type.Partial(
            Type.Object({ threadsEntered: count(1e6), postsRead: count(1e7), minutesRead: count(1e6) }),
          ),
        ),
        tl2: Type.Optional(
          Type.Object({
            threadsEntered: count(1e6),
            postsRead: count(1e7),
            minutesRead: count(1e6),
            daysVisited: count(1e4),
            likesGiven: count(1e6),
            likesReceived: count(1e6),
            repliesInThreads: count(1e6),
          }),
        ),
        tl3: Type.Optional(
          Type.Object({
            periodDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            daysVisited: count(3650),
            repliesInThreads: count(1e6),
            threadsReadPercent: count(100),
            threadsReadCap: count(1e6),
            postsReadPercent: count(100),
            postsReadCap: count(1e7),
            threadsEnteredAllTime: count(1e6),
            postsReadAllTime: count(1e7),
            likesGiven: count(1e6),
            likesReceived: count(1e6),
            likesReceivedDays: count(3650),
            likesReceivedUsers: count(1e6),
            maxRemovedPosts: count(1e6),
            graceDays: count(3650),
            keepRatio: ratio,
          }),
        ),
      }),
    ),
    unlocks: Type.Optional(
      Type.Object({
        newMemberBelow: level,
        maxLinksNewMember: count(1000),
        maxImagesNewMember: count(1000),
        maxMentionsNewMember: count(1000),
        postsPerHourNewMember: count(10000),
        directMessages: level,
        editWikiPosts: level,
        writeContextNotes: level,
        rateContextNotes: level,
      }),
    ),
    automod: Type.Optional(
      Type.Object({
        floodPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
        duplicateWindowHours: count(24 * 30),
        spamHoldThreshold: ratio,
        spamFlagThreshold: ratio,
        holdSpamBelowTrust: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
      }),
    ),
  },
  { additionalProperties: false },
);
export type SettingsPatch = Static<typeof SettingsPatch>;

type Plain = Record<string, unknown>;
const isObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: `patch` values win; keys unknown to `base` are dropped (an old document stays valid). */
export function merge<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return base;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in base) || v === undefined) continue;
    const current = (base as Plain)[k];
    out[k] = isObject(current) ? merge(current, v) : typeof v === typeof current ? v : current;
  }
  return out as T;
}

type Q = Db | Transaction<DB>;

export async function loadSettings(db: Q, communityId: number): Promise<ModerationSettings> {
  const row = await db
    .selectFrom('moderation_settings')
    .select('settings')
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return row ? merge(DEFAULT_SETTINGS, JSON.parse(row.settings)) : DEFAULT_SETTINGS;
}

/** Applies a patch and stores the whole (merged) document. */
export async function saveSettings(
  db: Q,
  communityId: number,
  patch: SettingsPatch,
  by: number,
  now: number,
): Promise<ModerationSettings> {
  const next = merge(await loadSettings(db, communityId), patch);
  const settings = JSON.stringify(next);
  await db
    .insertInto('moderation_settings')
    .values({ community_id: communityId, settings, updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('community_id').doUpdateSet({ settings, updated_by: by, updated_at: now }))
    .execute();
  return next;
}
