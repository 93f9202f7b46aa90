import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Events } from '../../platform/events.ts';
import type { Target } from './context.ts';
import * as mq from './moderation.queries.ts';

/**
 * What moderation does to threads and comments. Counters and content events stay as the
 * content module keeps them: held content is announced (content.*_created) when approved,
 * removed visible content is announced as deleted, restored content is counted again.
 */
type Trx = Transaction<DB>;

/** Approves held content: it becomes visible and is announced as if just posted. */
export async function publish(trx: Trx, events: Events, t: Target, now: number) {
  if (t.type === 'thread') {
    await mq.publishThread(trx, t.id);
    const a = await mq.threadAnnouncement(trx, t.id);
    await events.emit(trx, 'content.thread_created', {
      threadId: t.id,
      communityId: a.community_id,
      authorId: a.author_id,
      tags: a.tags,
      mentionedUserIds: a.mentioned,
    });
    return;
  }
  const c = (await mq.findCommentTarget(trx, t.id))!;
  await mq.publishComment(trx, t.id);
  await mq.adjustCommentCount(trx, c.thread_id, 1, now);
  const parentAuthor =
    c.parent_id == null ? null : ((await mq.findCommentAuthor(trx, c.parent_id))?.author_id ?? null);
  await events.emit(trx, 'content.comment_created', {
    commentId: c.id,
    threadId: c.thread_id,
    communityId: c.community_id,
    authorId: c.author_id,
    parentId: c.parent_id,
    parentAuthorId: parentAuthor,
    threadAuthorId: c.thread_author_id,
    depth: c.depth,
    mentionedUserIds: await mq.mentionedIn(trx, 'comment', c.id),
  });
}

/** Soft-deletes a thread or comment (its author keeps the reason through their moderation page). */
export async function remove(trx: Trx, events: Events, t: Target, by: number, now: number) {
  if (t.type === 'thread') {
    await mq.softDeleteThread(trx, t.id, by, now);
    if (!t.pending) {
      await events.emit(trx, 'content.thread_deleted', {
        threadId: t.id,
        communityId: t.communityId!,
        authorId: t.userId,
        deletedBy: by,
      });
    }
    return;
  }
  await mq.softDeleteComment(trx, t.id, by, now);
  if (!t.pending) {
    await mq.adjustCommentCount(trx, t.threadId!, -1, null);
    await events.emit(trx, 'content.comment_deleted', {
      commentId: t.id,
      threadId: t.threadId!,
      communityId: t.communityId!,
      authorId: t.userId,
      deletedBy: by,
    });
  }
}

/** Undoes a removal (an appeal overturned it); held content that was rejected is published. */
export async function restore(trx: Trx, events: Events, t: Target, now: number) {
  if (t.type === 'thread') await mq.restoreThread(trx, t.id);
  else await mq.restoreComment(trx, t.id);
  if (t.pending) return publish(trx, events, t, now);
  if (t.type === 'thread') await mq.adjustThreadCount(trx, t.communityId!, 1);
  else await mq.adjustCommentCount(trx, t.threadId!, 1, null);
  await events.emit(trx, 'moderation.content_restored', {
    communityId: t.communityId!,
    targetType: t.type as 'thread' | 'comment',
    targetId: t.id,
    authorId: t.userId,
  });
}

/** Locks or unlocks the thread of a target (a comment's thread). */
export async function setLocked(trx: Trx, events: Events, t: Target, locked: boolean, by: number) {
  const threadId = t.threadId!;
  const thread = (await mq.findThreadTarget(trx, threadId))!;
  await mq.setThreadLocked(trx, threadId, locked);
  await events.emit(trx, 'content.thread_moderated', {
    threadId,
    communityId: thread.community_id,
    by,
    pinned: thread.pinned === 1,
    locked,
  });
}
