import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const latestVersion = (db: Q, communityId: number) =>
  db
    .selectFrom('guideline_versions')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
export type VersionRow = NonNullable<Awaited<ReturnType<typeof latestVersion>>>;

export const findCommunityText = (db: Q, communityId: number) =>
  db
    .selectFrom('communities')
    .select(['guidelines', 'created_at', 'updated_at'])
    .where('id', '=', communityId)
    .executeTakeFirst();

/** Inserts a version unless a concurrent writer made the same number first. */
export const insertVersion = (
  db: Q,
  v: { communityId: number; version: number; body: string; rules: string; by: number | null; at: number },
) =>
  db
    .insertInto('guideline_versions')
    .values({
      community_id: v.communityId,
      version: v.version,
      body: v.body,
      rules: v.rules,
      created_by: v.by,
      created_at: v.at,
    })
    .onConflict((oc) => oc.columns(['community_id', 'version']).doNothing())
    .execute();

export const listVersions = (db: Q, communityId: number) =>
  db
    .selectFrom('guideline_versions')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('version', 'desc')
    .execute();

export const findAcceptance = (db: Q, communityId: number, userId: number) =>
  db
    .selectFrom('guideline_acceptances')
    .select('version')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

/** When the member accepted the guidelines on joining (communities module). */
export const joinAcceptance = (db: Q, communityId: number, userId: number) =>
  db
    .selectFrom('memberships')
    .select('guidelines_accepted_at')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

/** The version in force at a moment. */
export const versionAt = (db: Q, communityId: number, at: number) =>
  db
    .selectFrom('guideline_versions')
    .select('version')
    .where('community_id', '=', communityId)
    .where('created_at', '<=', at)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();

export const upsertAcceptance = (db: Q, communityId: number, userId: number, version: number, now: number) =>
  db
    .insertInto('guideline_acceptances')
    .values({ community_id: communityId, user_id: userId, version, accepted_at: now })
    .onConflict((oc) => oc.columns(['community_id', 'user_id']).doUpdateSet({ version, accepted_at: now }))
    .execute();
