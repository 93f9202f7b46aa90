import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const findUser = (db: Q, id: number) =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'email'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findUsers = (db: Q, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();

export const listPrefs = (db: Q, userId: number) =>
  db.selectFrom('notification_prefs').select(['type', 'channel']).where('user_id', '=', userId).execute();

export const findPref = (db: Q, userId: number, type: string) =>
  db
    .selectFrom('notification_prefs')
    .select('channel')
    .where('user_id', '=', userId)
    .where('type', '=', type)
    .executeTakeFirst();

export const upsertPref = (db: Q, userId: number, type: string, channel: string) =>
  db
    .insertInto('notification_prefs')
    .values({ user_id: userId, type, channel })
    .onConflict((oc) => oc.columns(['user_id', 'type']).doUpdateSet({ channel }))
    .execute();

export const findSettings = (db: Q, userId: number) =>
  db.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();

export const upsertDigest = (db: Q, userId: number, digest: string, lastDigestAt: number) =>
  db
    .insertInto('notification_settings')
    .values({ user_id: userId, digest, last_digest_at: lastDigestAt })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ digest, last_digest_at: lastDigestAt }))
    .execute();

export const setLastDigest = (db: Q, userId: number, at: number) =>
  db.updateTable('notification_settings').set({ last_digest_at: at }).where('user_id', '=', userId).execute();

/** Whether the member may read the community's content now (public, or an active member). */
export async function canRead(db: Q, communityId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('communities')
    .leftJoin('memberships', (j) =>
      j.onRef('memberships.community_id', '=', 'communities.id').on('memberships.user_id', '=', userId),
    )
    .select(['communities.visibility', 'memberships.status'])
    .where('communities.id', '=', communityId)
    .executeTakeFirst();
  return !!row && (row.visibility === 'public' || row.status === 'active');
}

/** The unread notification a new one of the same group joins (reactions to a post, one conversation). */
export const findOpenGroup = (db: Q, userId: number, groupKey: string) =>
  db
    .selectFrom('notifications')
    .select(['id', 'data', 'actor_count'])
    .where('user_id', '=', userId)
    .where('group_key', '=', groupKey)
    .where('read_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();

export interface NewNotification {
  userId: number;
  type: string;
  communityId: number | null;
  threadId: number | null;
  targetType: string | null;
  targetId: number | null;
  actorId: number | null;
  groupKey: string | null;
  data: Record<string, unknown>;
  at: number;
}

export async function insertNotification(db: Q, n: NewNotification): Promise<number> {
  const row = await db
    .insertInto('notifications')
    .values({
      user_id: n.userId,
      type: n.type,
      community_id: n.communityId,
      thread_id: n.threadId,
      target_type: n.targetType,
      target_id: n.targetId,
      actor_id: n.actorId,
      group_key: n.groupKey,
      data: JSON.stringify(n.data),
      created_at: n.at,
      updated_at: n.at,
      read_at: null,
      emailed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const bumpNotification = (
  db: Q,
  id: number,
  set: { actorId: number | null; actorCount: number; data: string; at: number },
) =>
  db
    .updateTable('notifications')
    .set({ actor_id: set.actorId, actor_count: set.actorCount, data: set.data, updated_at: set.at })
    .where('id', '=', id)
    .execute();

export const markEmailed = (db: Q, ids: number[], at: number) =>
  ids.length === 0
    ? Promise.resolve()
    : db.updateTable('notifications').set({ emailed_at: at }).where('id', 'in', ids).execute();

/**
 * Only what the member may read now: nothing from a private community they left, nothing
 * about a thread that was deleted or is held for approval.
 */
const visibleTo =
  (userId: number) =>
  (
    eb: ExpressionBuilder<
      DB & { n: DB['notifications']; c: DB['communities']; t: DB['threads'] },
      'n' | 'c' | 't'
    >,
  ) =>
    eb.and([
      eb.or([
        eb('n.community_id', 'is', null),
        eb('c.visibility', '=', 'public'),
        eb.exists(
          eb
            .selectFrom('memberships as m')
            .select('m.user_id')
            .whereRef('m.community_id', '=', 'n.community_id')
            .where('m.user_id', '=', userId)
            .where('m.status', '=', 'active'),
        ),
      ]),
      eb.or([
        eb('n.thread_id', 'is', null),
        eb.and([eb('t.deleted_at', 'is', null), eb('t.status', '=', 'visible')]),
      ]),
    ]);

const baseList = (db: Q, userId: number) =>
  db
    .selectFrom('notifications as n')
    .leftJoin('communities as c', 'c.id', 'n.community_id')
    .leftJoin('threads as t', 't.id', 'n.thread_id')
    .where('n.user_id', '=', userId)
    .where(visibleTo(userId));

export function listNotifications(
  db: Q,
  userId: number,
  a: { after: [number, number] | null; limit: number; unread?: boolean; ids?: number[]; since?: number },
) {
  let q = baseList(db, userId)
    .leftJoin('users as a', 'a.id', 'n.actor_id')
    .leftJoin('comments as cm', (j) =>
      j.onRef('cm.id', '=', 'n.target_id').on('n.target_type', '=', 'comment'),
    )
    .select([
      'n.id',
      'n.type',
      'n.community_id',
      'n.thread_id',
      'n.target_type',
      'n.target_id',
      'n.actor_count',
      'n.data',
      'n.created_at',
      'n.updated_at',
      'n.read_at',
      'n.emailed_at',
      'c.slug as community_slug',
      'c.name as community_name',
      't.title as thread_title',
      'a.username as actor_username',
      'a.display_name as actor_display_name',
      'cm.body as comment_body',
      'cm.deleted_at as comment_deleted_at',
      'cm.status as comment_status',
    ]);
  if (a.unread) q = q.where('n.read_at', 'is', null);
  if (a.ids) q = q.where('n.id', 'in', a.ids.length ? a.ids : [0]);
  if (a.since != null) q = q.where('n.created_at', '>=', a.since).where('n.emailed_at', 'is', null);
  if (a.after) {
    const [at, id] = a.after;
    q = q.where((eb) =>
      eb.or([eb('n.updated_at', '<', at), eb.and([eb('n.updated_at', '=', at), eb('n.id', '<', id)])]),
    );
  }
  return q
    .orderBy('n.updated_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(a.limit + 1)
    .execute();
}
export type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

export async function countUnread(db: Q, userId: number): Promise<number> {
  const row = await baseList(db, userId)
    .where('n.read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks the member's notifications read; returns the ids that changed. */
export async function markRead(db: Q, userId: number, ids: number[] | null, at: number): Promise<number[]> {
  let q = db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids) q = q.where('id', 'in', ids.length ? ids : [0]);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

/** Marks the member's unread notifications of one group read (a conversation they read). */
export async function markGroupRead(db: Q, userId: number, groupKey: string, at: number): Promise<number[]> {
  const rows = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('group_key', '=', groupKey)
    .where('read_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export const watchersOf = (db: Q, communityId: number) =>
  db.selectFrom('community_watches').select('user_id').where('community_id', '=', communityId).execute();

/** Followers of any of these tags (feed's follows), with the tags each follows. */
export async function tagFollowers(db: Q, tagNames: string[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (tagNames.length === 0) return out;
  const rows = await db
    .selectFrom('follows')
    .innerJoin('tags', 'tags.id', 'follows.target_id')
    .select(['follows.user_id', 'tags.name'])
    .where('follows.target_type', '=', 'tag')
    .where('tags.name', 'in', tagNames)
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.name]);
  return out;
}

export const findWatch = (db: Q, userId: number, communityId: number) =>
  db
    .selectFrom('community_watches')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('community_id', '=', communityId)
    .executeTakeFirst();

export const insertWatch = (db: Q, userId: number, communityId: number, at: number) =>
  db
    .insertInto('community_watches')
    .values({ user_id: userId, community_id: communityId, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'community_id']).doNothing())
    .execute();

export const deleteWatch = (db: Q, userId: number, communityId: number) =>
  db
    .deleteFrom('community_watches')
    .where('user_id', '=', userId)
    .where('community_id', '=', communityId)
    .execute();

export const findCommunityBySlug = (db: Q, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility'])
    .where('slug', '=', slug)
    .executeTakeFirst();

export const findThreadRef = (db: Q, id: number) =>
  db
    .selectFrom('threads')
    .select(['id', 'community_id', 'title', 'status', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();

/** The latest sign of life: a live socket, a session request or an API token use. */
export async function lastActive(db: Q, userId: number): Promise<number> {
  const [p, s, t] = await Promise.all([
    db
      .selectFrom('user_presence')
      .select('last_active_at as at')
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('sessions')
      .select((eb) => eb.fn.max('last_seen_at').as('at'))
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.max('last_used_at').as('at'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
  ]);
  return Math.max(Number(p?.at ?? 0), Number(s?.at ?? 0), Number(t?.at ?? 0));
}

export const insertUnsubscribeToken = (db: Q, hash: string, userId: number, type: string, at: number) =>
  db
    .insertInto('unsubscribe_tokens')
    .values({ token_hash: hash, user_id: userId, type, created_at: at })
    .execute();

export const findUnsubscribeToken = (db: Q, hash: string) =>
  db.selectFrom('unsubscribe_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();

/** Members whose digest is due: daily or weekly, and the period since the last one is over. */
export const dueDigests = (db: Q, now: number, day: number, limit: number) =>
  db
    .selectFrom('notification_settings')
    .select(['user_id', 'digest', 'last_digest_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('digest', '=', 'daily'), eb('last_digest_at', '<=', now - day)]),
        eb.and([eb('digest', '=', 'weekly'), eb('last_digest_at', '<=', now - 7 * day)]),
      ]),
    )
    .orderBy('user_id')
    .limit(limit)
    .execute();

export const findCommentThreadId = async (db: Q, commentId: number) =>
  (await db.selectFrom('comments').select('thread_id').where('id', '=', commentId).executeTakeFirst())
    ?.thread_id;

/** What an event notification names: read when it is made (an event's title rarely changes). */
export const findEventBrief = (db: Q, id: number) =>
  db
    .selectFrom('events')
    .select(['id', 'title', 'starts_at', 'time_zone', 'created_by'])
    .where('id', '=', id)
    .executeTakeFirst();

/** Members who answered going, maybe or waitlisted: the ones a cancellation concerns. */
export const eventAnswerers = (db: Q, eventId: number) =>
  db
    .selectFrom('event_rsvps')
    .select('user_id')
    .where('event_id', '=', eventId)
    .where('status', 'in', ['going', 'maybe', 'waitlisted'])
    .execute();

export const findBadgeBrief = (db: Q, id: number) =>
  db.selectFrom('badges').select(['name', 'tier', 'description']).where('id', '=', id).executeTakeFirst();

export const findCommunityName = (db: Q, id: number) =>
  db.selectFrom('communities').select(['slug', 'name']).where('id', '=', id).executeTakeFirst();
