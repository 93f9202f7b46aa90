import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

/** Live events: the short history a reconnecting client catches up from. */
export async function insertLiveEvent(
  db: Q,
  e: { channel: string; kind: string; payload: string; at: number },
): Promise<number> {
  const row = await db
    .insertInto('live_events')
    .values({ channel: e.channel, kind: e.kind, payload: e.payload, created_at: e.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const findLiveEvent = (db: Q, id: number) =>
  db.selectFrom('live_events').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();

export const oldestLiveEventId = async (db: Q) =>
  (
    await db
      .selectFrom('live_events')
      .select((eb) => eb.fn.min('id').as('id'))
      .executeTakeFirst()
  )?.id ?? null;

/**
 * What a channel published after `afterId`, plus anything created up to `lookbackMs` before
 * that event: with several dispatchers, a lower id can commit after a higher one was sent, so
 * the client gets those again and drops the ids it already has.
 */
export function listLiveEvents(
  db: Q,
  a: { channel: string; afterId: number; sinceAt: number | null; limit: number },
) {
  return db
    .selectFrom('live_events')
    .select(['id', 'channel', 'kind', 'payload', 'created_at'])
    .where('channel', '=', a.channel)
    .where((eb) =>
      a.sinceAt == null
        ? eb('id', '>', a.afterId)
        : eb.or([eb('id', '>', a.afterId), eb('created_at', '>=', a.sinceAt)]),
    )
    .orderBy('id')
    .limit(a.limit)
    .execute();
}

export async function pruneLiveEvents(db: Q, before: number): Promise<number> {
  const r = await db.deleteFrom('live_events').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Marks members as present now (connected to a live socket). */
export async function touchPresence(db: Q, userIds: number[], at: number): Promise<void> {
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    if (chunk.length === 0) continue;
    await db
      .insertInto('user_presence')
      .values(chunk.map((user_id) => ({ user_id, last_active_at: at })))
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_active_at: at }))
      .execute();
  }
}

/** Session ids (hashes) among `ids` that are still valid. */
export async function liveSessions(db: Q, ids: string[], now: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where('expires_at', '>', now)
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

export const findCommunityRef = (db: Q, by: { id?: number; slug?: string }) => {
  let q = db.selectFrom('communities').select(['id', 'slug', 'visibility']);
  if (by.id != null) q = q.where('id', '=', by.id);
  else q = q.where('slug', '=', by.slug ?? '');
  return q.executeTakeFirst();
};

export const findThreadBrief = (db: Q, id: number) =>
  db
    .selectFrom('threads')
    .innerJoin('users', 'users.id', 'threads.author_id')
    .select([
      'threads.id',
      'threads.community_id',
      'threads.title',
      'threads.body_html',
      'threads.status',
      'threads.pinned',
      'threads.locked',
      'threads.score',
      'threads.reaction_counts',
      'threads.comment_count',
      'threads.created_at',
      'threads.edited_at',
      'threads.deleted_at',
      'users.username',
      'users.display_name',
    ])
    .where('threads.id', '=', id)
    .executeTakeFirst();

export const findCommentBrief = (db: Q, id: number) =>
  db
    .selectFrom('comments')
    .select(['id', 'thread_id', 'community_id', 'score', 'reaction_counts', 'status', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();

export const conversationRecipients = (db: Q, conversationId: number) =>
  db
    .selectFrom('conversation_members')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('left_at', 'is', null)
    .execute();
