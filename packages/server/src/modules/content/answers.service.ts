import type { Viewer } from '../../platform/auth.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { loadReadableThread } from './content.present.ts';
import * as q from './content.queries.ts';
import { type ContentDeps, getThread } from './threads.service.ts';

/**
 * Accepted answer (issue 7): the thread's author, or a moderator, marks one comment of the
 * thread as the answer; marking another replaces it. Changes are announced as
 * content.answer_accepted / content.answer_unaccepted (gamification awards points from them).
 * Deleting the accepted comment leaves the mark in place: the comment shows as deleted, and
 * consumers treat removed content as earning nothing; a restored comment is accepted again.
 */
async function loadAcceptable(deps: ContentDeps, threadId: number, viewer: Viewer) {
  const { thread, access } = await loadReadableThread(deps.db, threadId, viewer);
  if (thread.author_id !== viewer.userId && !access.isModerator) {
    fail('FORBIDDEN', "Only the thread's author or a moderator can choose its accepted answer");
  }
  if (thread.deleted_at) fail('CONTENT_DELETED', 'This thread was deleted');
  return thread;
}

export async function acceptAnswer(deps: ContentDeps, threadId: number, viewer: Viewer, commentId: number) {
  const thread = await loadAcceptable(deps, threadId, viewer);
  const comment = await q.findComment(deps.db, commentId);
  if (!comment || comment.thread_id !== threadId) invalid('commentId', 'is not a comment of this thread');
  if (comment.deleted_at) fail('CONTENT_DELETED', 'That comment was deleted');
  if (comment.status !== 'visible') invalid('commentId', 'is held for approval');
  const previous = thread.accepted_comment_id ?? null;
  if (previous !== commentId) {
    await inTransaction(deps, async (trx) => {
      await trx
        .updateTable('threads')
        .set({ accepted_comment_id: commentId })
        .where('id', '=', threadId)
        .execute();
      await deps.events.emit(trx, 'content.answer_accepted', {
        threadId,
        communityId: thread.community_id,
        threadAuthorId: thread.author_id,
        commentId,
        commentAuthorId: comment.author_id,
        acceptedBy: viewer.userId,
        previousCommentId: previous,
      });
    });
  }
  return getThread(deps, threadId, viewer);
}

export async function unacceptAnswer(deps: ContentDeps, threadId: number, viewer: Viewer) {
  const thread = await loadAcceptable(deps, threadId, viewer);
  const previous = thread.accepted_comment_id ?? null;
  if (previous !== null) {
    const comment = await q.findComment(deps.db, previous);
    await inTransaction(deps, async (trx) => {
      await trx
        .updateTable('threads')
        .set({ accepted_comment_id: null })
        .where('id', '=', threadId)
        .execute();
      await deps.events.emit(trx, 'content.answer_unaccepted', {
        threadId,
        communityId: thread.community_id,
        commentId: previous,
        commentAuthorId: comment?.author_id ?? 0,
        by: viewer.userId,
      });
    });
  }
  return getThread(deps, threadId, viewer);
}
