import { DAY } from '../../platform/clock.ts';
import type { Q } from './gamification.queries.ts';

/**
 * What gamification reads of the content it awards points for (threads, comments, reactions,
 * context notes, memberships). Read-only: those tables belong to their modules.
 */

export const findThreadInfo = (db: Q, id: number) =>
  db
    .selectFrom('threads')
    .select(['id', 'community_id', 'author_id', 'deleted_at', 'status', 'accepted_comment_id', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findCommentInfo = (db: Q, id: number) =>
  db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.thread_id')
    .select([
      'comments.id',
      'comments.community_id',
      'comments.thread_id',
      'comments.author_id',
      'comments.deleted_at',
      'comments.status',
      'comments.created_at',
      'threads.deleted_at as thread_deleted_at',
      'threads.accepted_comment_id',
    ])
    .where('comments.id', '=', id)
    .executeTakeFirst();

/** Removed or held content earns nothing, even from a late or redelivered creation event. */
export const contentIsLive = async (db: Q, type: 'thread' | 'comment', id: number) => {
  if (type === 'thread') {
    const t = await findThreadInfo(db, id);
    return t !== undefined && t.deleted_at === null && t.status === 'visible';
  }
  const c = await findCommentInfo(db, id);
  return c !== undefined && c.deleted_at === null && c.status === 'visible' && c.thread_deleted_at === null;
};

/** The thread a reaction's target belongs to. */
export const threadOf = async (db: Q, type: 'thread' | 'comment', id: number) =>
  type === 'thread' ? id : ((await findCommentInfo(db, id))?.thread_id ?? null);

/** Reactions to one target (to award them again when the target is restored). */
export const reactionsOn = (db: Q, type: 'thread' | 'comment', id: number) =>
  db
    .selectFrom('reactions')
    .select(['user_id', 'kind', 'created_at'])
    .where('target_type', '=', type)
    .where('target_id', '=', id)
    .execute();

export const liveCommentsOf = (db: Q, threadId: number) =>
  db
    .selectFrom('comments')
    .select(['id', 'author_id', 'created_at'])
    .where('thread_id', '=', threadId)
    .where('deleted_at', 'is', null)
    .where('status', '=', 'visible')
    .execute();

/** Reactions `from` gave, since `since`, to threads and comments written by `to` (in one community). */
export const reactionsBetween = async (
  db: Q,
  communityId: number,
  from: number,
  to: number,
  since: number,
) => {
  const row = await db
    .selectFrom('reactions as r')
    .leftJoin('threads as t', (j) => j.onRef('t.id', '=', 'r.target_id').on('r.target_type', '=', 'thread'))
    .leftJoin('comments as c', (j) => j.onRef('c.id', '=', 'r.target_id').on('r.target_type', '=', 'comment'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.user_id', '=', from)
    .where('r.community_id', '=', communityId)
    .where('r.created_at', '>=', since)
    .where((eb) => eb.or([eb('t.author_id', '=', to), eb('c.author_id', '=', to)]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

/** A context note with the author of what it annotates. */
export const findNoteInfo = (db: Q, id: number) =>
  db
    .selectFrom('context_notes as n')
    .leftJoin('threads as t', (j) => j.onRef('t.id', '=', 'n.target_id').on('n.target_type', '=', 'thread'))
    .leftJoin('comments as c', (j) => j.onRef('c.id', '=', 'n.target_id').on('n.target_type', '=', 'comment'))
    .select([
      'n.id',
      'n.community_id',
      'n.author_id',
      'n.target_type',
      'n.target_id',
      'n.thread_id',
      'n.status',
      'n.deleted_at',
      't.author_id as thread_author_id',
      'c.author_id as comment_author_id',
    ])
    .where('n.id', '=', id)
    .executeTakeFirst();

/** Sources of every helpful-note award (`note:{type}:{target}:{noteId}`), for the sweep. */
export const helpfulNoteSources = async (db: Q) =>
  (await db.selectFrom('points_ledger').select('source').where('reason', '=', 'helpful_note').execute()).map(
    (r) => r.source,
  );

export const notesByIds = (db: Q, ids: number[]) =>
  ids.length
    ? db.selectFrom('context_notes').select(['id', 'status', 'deleted_at']).where('id', 'in', ids).execute()
    : Promise.resolve([]);

/** Notes rated Helpful on one target (to award them again when it is restored). */
export const helpfulNotesOn = (db: Q, type: 'thread' | 'comment', targetId: number) =>
  db
    .selectFrom('context_notes')
    .select('id')
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .where('status', '=', 'helpful')
    .where('deleted_at', 'is', null)
    .execute();

/** An active member by username. */
export const findActiveMember = (db: Q, communityId: number, username: string) =>
  db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id', 'users.username', 'users.display_name', 'memberships.role'])
    .where('users.username', '=', username.toLowerCase())
    .where('memberships.community_id', '=', communityId)
    .where('memberships.status', '=', 'active')
    .executeTakeFirst();

export const activeMembersByUsernames = (db: Q, communityId: number, usernames: string[]) =>
  usernames.length
    ? db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .select(['users.id', 'users.username'])
        .where('users.username', 'in', usernames)
        .where('memberships.community_id', '=', communityId)
        .where('memberships.status', '=', 'active')
        .execute()
    : Promise.resolve([]);

export const usernamesOf = async (db: Q, ids: number[]) => {
  if (!ids.length) return new Map<number, string>();
  const rows = await db.selectFrom('users').select(['id', 'username']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.username]));
};

/** Tags of a thread, by name (level-gated tags). */
export const threadTagNames = async (db: Q, threadId: number) =>
  (
    await db
      .selectFrom('thread_tags')
      .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
      .select('tags.name')
      .where('thread_tags.thread_id', '=', threadId)
      .execute()
  ).map((r) => r.name);

/** Communities where `userId` is an active member (a profile's gamification cards). */
export const communitiesOfMember = (db: Q, userId: number) =>
  db
    .selectFrom('memberships')
    .innerJoin('communities', 'communities.id', 'memberships.community_id')
    .select(['communities.id', 'communities.slug', 'communities.name', 'communities.visibility'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.status', '=', 'active')
    .orderBy('communities.name')
    .limit(100)
    .execute();

export const activeCommunityIds = async (db: Q, userId: number) =>
  new Set(
    (
      await db
        .selectFrom('memberships')
        .select('community_id')
        .where('user_id', '=', userId)
        .where('status', '=', 'active')
        .execute()
    ).map((r) => r.community_id),
  );

export const NEWCOMER_WINDOW = 14 * DAY;
