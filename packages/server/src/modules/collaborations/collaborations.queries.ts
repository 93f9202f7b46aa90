import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

/** All SQL of the collaborations module. */
type Q = Db | Transaction<DB>;

export const findCommunityBySlug = (db: Q, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();
export type CommunityLite = NonNullable<Awaited<ReturnType<typeof findCommunityBySlug>>>;

export const findCommunitiesByIds = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('communities')
        .select(['id', 'slug', 'name', 'visibility'])
        .where('id', 'in', ids)
        .execute()
    : Promise.resolve([]);

const pair = (a: number, b: number) => (a < b ? [a, b] : [b, a]) as [number, number];

export const findCollaborationBetween = (db: Q, a: number, b: number) => {
  const [low, high] = pair(a, b);
  return db
    .selectFrom('collaborations')
    .selectAll()
    .where('community_low', '=', low)
    .where('community_high', '=', high)
    .executeTakeFirst();
};

export const findCollaboration = (db: Q, id: number) =>
  db.selectFrom('collaborations').selectAll().where('id', '=', id).executeTakeFirst();
export type CollaborationRow = NonNullable<Awaited<ReturnType<typeof findCollaboration>>>;

export const listCollaborationsOf = (db: Q, communityId: number) =>
  db
    .selectFrom('collaborations')
    .selectAll()
    .where((eb) => eb.or([eb('community_low', '=', communityId), eb('community_high', '=', communityId)]))
    .where('status', '!=', 'ended')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();

export async function proposeCollaboration(
  db: Q,
  p: { from: number; to: number; by: number; now: number; existing?: CollaborationRow },
) {
  const [low, high] = pair(p.from, p.to);
  const values = {
    proposer_community: p.from,
    status: 'proposed' as const,
    proposed_by: p.by,
    accepted_by: null,
    ended_by: null,
    created_at: p.now,
    accepted_at: null,
    ended_at: null,
  };
  if (p.existing) {
    await db.updateTable('collaborations').set(values).where('id', '=', p.existing.id).execute();
    return p.existing.id;
  }
  const row = await db
    .insertInto('collaborations')
    .values({ community_low: low, community_high: high, ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Accepts a proposal; false if it was no longer a proposal (someone else decided first). */
export async function acceptCollaboration(db: Q, id: number, by: number, now: number) {
  const r = await db
    .updateTable('collaborations')
    .set({ status: 'active', accepted_by: by, accepted_at: now })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends a collaboration and takes its cross-posts and co-hosted events out of the partner's lists. */
export async function endCollaboration(db: Q, id: number, by: number, now: number) {
  await db
    .updateTable('collaborations')
    .set({ status: 'ended', ended_by: by, ended_at: now })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('thread_crossposts').where('collaboration_id', '=', id).execute();
  await db.deleteFrom('event_cohosts').where('collaboration_id', '=', id).execute();
}

// --- cross-posts and co-hosts ---

export const findThreadLite = (db: Q, id: number) =>
  db
    .selectFrom('threads')
    .select(['id', 'community_id', 'author_id', 'deleted_at', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findEventLite = (db: Q, id: number) =>
  db
    .selectFrom('events')
    .select(['id', 'community_id', 'created_by', 'cancelled_at'])
    .where('id', '=', id)
    .executeTakeFirst();

export const crosspostsOf = (db: Q, threadId: number) =>
  db.selectFrom('thread_crossposts').selectAll().where('thread_id', '=', threadId).execute();

export const cohostsOf = (db: Q, eventId: number) =>
  db.selectFrom('event_cohosts').selectAll().where('event_id', '=', eventId).execute();

export async function insertCrosspost(
  db: Q,
  c: {
    threadId: number;
    communityId: number;
    originId: number;
    collaborationId: number;
    by: number;
    now: number;
  },
) {
  const r = await db
    .insertInto('thread_crossposts')
    .values({
      thread_id: c.threadId,
      community_id: c.communityId,
      origin_community_id: c.originId,
      collaboration_id: c.collaborationId,
      created_by: c.by,
      created_at: c.now,
    })
    .onConflict((oc) => oc.columns(['thread_id', 'community_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export const deleteCrosspost = (db: Q, threadId: number, communityId: number) =>
  db
    .deleteFrom('thread_crossposts')
    .where('thread_id', '=', threadId)
    .where('community_id', '=', communityId)
    .executeTakeFirst();

export async function insertCohost(
  db: Q,
  c: { eventId: number; communityId: number; collaborationId: number; by: number; now: number },
) {
  const r = await db
    .insertInto('event_cohosts')
    .values({
      event_id: c.eventId,
      community_id: c.communityId,
      collaboration_id: c.collaborationId,
      created_by: c.by,
      created_at: c.now,
    })
    .onConflict((oc) => oc.columns(['event_id', 'community_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export const deleteCohost = (db: Q, eventId: number, communityId: number) =>
  db
    .deleteFrom('event_cohosts')
    .where('event_id', '=', eventId)
    .where('community_id', '=', communityId)
    .executeTakeFirst();
