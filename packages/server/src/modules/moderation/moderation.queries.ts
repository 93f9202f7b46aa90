import { sql, type Transaction } from 'kysely';
import { dialectOf, stringAgg } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

/** Shared lookups (communities, targets, users) and the moderation writes to content rows. */
type Q = Db | Transaction<DB>;

export const findCommunityBySlug = (db: Q, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility', 'guidelines', 'created_at', 'updated_at'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();

export const findCommunityById = (db: Q, id: number) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findThreadTarget = (db: Q, id: number) =>
  db
    .selectFrom('threads')
    .select(['id', 'community_id', 'author_id', 'deleted_at', 'status', 'locked', 'pinned', 'comment_count'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findCommentTarget = (db: Q, id: number) =>
  db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select([
      'comments.id',
      'comments.community_id',
      'comments.author_id',
      'comments.deleted_at',
      'comments.status',
      'comments.thread_id',
      'comments.parent_id',
      'comments.depth',
      'comments.created_at',
      'threads.locked',
      'threads.pinned',
      'threads.deleted_at as thread_deleted_at',
      'threads.status as thread_status',
      'threads.author_id as thread_author_id',
    ])
    .where('comments.id', '=', id)
    .executeTakeFirst();

export const findUser = (db: Q, id: number) =>
  db.selectFrom('users').select(['id', 'username', 'is_admin']).where('id', '=', id).executeTakeFirst();

export const findUserByName = (db: Q, username: string) =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'is_admin'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();

export const findMembership = (db: Q, communityId: number, userId: number) =>
  db
    .selectFrom('memberships')
    .select(['role', 'status'])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export async function usersByIds(db: Q, ids: number[]) {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map<number, { id: number; username: string; display_name: string }>();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Titles and excerpts of threads, bodies of comments: what a moderator reviews. */
export const threadsForReview = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('threads')
        .innerJoin('communities', 'communities.id', 'threads.community_id')
        .select([
          'threads.id',
          'threads.title',
          'threads.body',
          'threads.author_id',
          'threads.deleted_at',
          'threads.status',
          'threads.locked',
          'communities.slug as community_slug',
        ])
        .where('threads.id', 'in', ids)
        .execute()
    : Promise.resolve([]);

export const commentsForReview = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .innerJoin('communities', 'communities.id', 'comments.community_id')
        .select([
          'comments.id',
          'comments.body',
          'comments.author_id',
          'comments.deleted_at',
          'comments.status',
          'comments.thread_id',
          'threads.title as thread_title',
          'communities.slug as community_slug',
        ])
        .where('comments.id', 'in', ids)
        .execute()
    : Promise.resolve([]);

/** Reported direct messages as their reporters saw them (copies kept by messaging, issue 5). */
export const messageCopiesForReview = (db: Q, messageIds: number[]) =>
  messageIds.length
    ? db
        .selectFrom('message_reports')
        .select(['message_id', 'body', 'sent_at'])
        .where('message_id', 'in', messageIds)
        .orderBy('report_id')
        .execute()
    : Promise.resolve([]);

// --- writes to content rows on behalf of moderators (events are emitted by the caller) ---

export const softDeleteThread = (db: Q, id: number, by: number, now: number) =>
  db
    .updateTable('threads')
    .set({ deleted_at: now, deleted_by: by, hot_rank: 0 })
    .where('id', '=', id)
    .execute();

export const softDeleteComment = (db: Q, id: number, by: number, now: number) =>
  db.updateTable('comments').set({ deleted_at: now, deleted_by: by }).where('id', '=', id).execute();

export const restoreThread = (db: Q, id: number) =>
  db.updateTable('threads').set({ deleted_at: null, deleted_by: null }).where('id', '=', id).execute();

export const restoreComment = (db: Q, id: number) =>
  db.updateTable('comments').set({ deleted_at: null, deleted_by: null }).where('id', '=', id).execute();

export const setThreadLocked = (db: Q, id: number, locked: boolean) =>
  db
    .updateTable('threads')
    .set({ locked: locked ? 1 : 0 })
    .where('id', '=', id)
    .execute();

/** Counts a visible comment on its thread (approval, restore) or stops counting it (removal). */
export const adjustCommentCount = (db: Q, threadId: number, delta: 1 | -1, now: number | null) =>
  db
    .updateTable('threads')
    .set((eb) => ({
      comment_count: eb('comment_count', '+', delta),
      ...(now != null && { last_comment_at: now }),
    }))
    .where('id', '=', threadId)
    .execute();

export const adjustThreadCount = (db: Q, communityId: number, delta: 1 | -1) =>
  db
    .updateTable('communities')
    .set((eb) => ({ thread_count: eb('thread_count', '+', delta) }))
    .where('id', '=', communityId)
    .execute();

/**
 * Approves held content. Re-setting the title (threads) or body (comments) fires the search
 * triggers of migration 0002, which index the row now that it is visible.
 */
export async function publishThread(db: Q, id: number) {
  await db
    .updateTable('threads')
    .set((eb) => ({ status: 'visible', title: eb.ref('title') }))
    .where('id', '=', id)
    .execute();
  // Its author may have commented while it waited: those comments can be indexed now too.
  await db
    .updateTable('comments')
    .set((eb) => ({ body: eb.ref('body') }))
    .where('thread_id', '=', id)
    .where('status', '=', 'visible')
    .where('deleted_at', 'is', null)
    .execute();
}

export const publishComment = (db: Q, id: number) =>
  db
    .updateTable('comments')
    .set((eb) => ({ status: 'visible', body: eb.ref('body') }))
    .where('id', '=', id)
    .execute();

/** Tags and mentions of a thread: the payload of content.thread_created when it is announced late. */
export async function threadAnnouncement(db: Q, id: number) {
  const agg = stringAgg(dialectOf(db as Db));
  const row = await db
    .selectFrom('threads')
    .select(['id', 'community_id', 'author_id'])
    .select(() =>
      sql<
        string | null
      >`(select ${agg}(tags.name, ',') from thread_tags join tags on tags.id = thread_tags.tag_id
        where thread_tags.thread_id = threads.id)`.as('tag_names'),
    )
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const mentioned = await mentionedIn(db, 'thread', id);
  return { ...row, tags: row.tag_names ? row.tag_names.split(',') : [], mentioned };
}

export const mentionedIn = async (db: Q, type: 'thread' | 'comment', id: number) =>
  (
    await db
      .selectFrom('mentions')
      .select('user_id')
      .where('target_type', '=', type)
      .where('target_id', '=', id)
      .execute()
  ).map((r) => r.user_id);

export const findCommentAuthor = (db: Q, id: number) =>
  db.selectFrom('comments').select('author_id').where('id', '=', id).executeTakeFirst();
