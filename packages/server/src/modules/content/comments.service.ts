import type { Viewer } from '../../platform/auth.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { assertMember } from '../../platform/permissions.ts';
import { recordWrite, screenWrite, type WriteAttempt } from '../../platform/write-gate.ts';
import { renderMarkdown } from './content.markdown.ts';
import {
  loadReadableComment,
  loadReadableThread,
  presentComments,
  presentNewComment,
} from './content.present.ts';
import * as q from './content.queries.ts';
import { type AttachFn, type ContentDeps, resolveMentions, resolveMentionUsers } from './threads.service.ts';

/** Nesting deeper than this is refused; the materialized path has room for it. */
export const MAX_DEPTH = 24;
const pathSegment = (id: number) => String(id).padStart(10, '0');

export async function listComments(
  deps: ContentDeps,
  threadId: number,
  viewer: Viewer | null,
  args: { cursor?: string; limit: number },
  /** Told the thread's community once it is known to be readable (response cache scope). */
  onCommunity?: (communityId: number) => void,
) {
  const { thread, access } = await loadReadableThread(deps.db, threadId, viewer);
  onCommunity?.(thread.community_id);
  const after = decodeCursor(args.cursor, ['string']);
  // Held comments: moderators see them all, authors their own, nobody else any.
  const pendingOf = access.isModerator ? 'all' : (viewer?.userId ?? null);
  const rows = await q.listComments(deps.db, threadId, (after?.[0] as string) ?? null, args.limit, pendingOf);
  const { items, nextCursor } = page(rows, args.limit, (c) => [c.path]);
  return { items: await presentComments(deps.db, items, viewer), nextCursor };
}

export async function createComment(
  deps: ContentDeps,
  threadId: number,
  viewer: Viewer,
  sent: { body: string; parentId?: number | null },
  opts: { attach?: AttachFn } = {},
) {
  const { thread, access } = await loadReadableThread(deps.db, threadId, viewer);
  assertMember(access);
  if (thread.deleted_at) fail('CONTENT_DELETED', 'This thread was deleted');
  if (thread.locked && !access.isModerator) fail('THREAD_LOCKED', 'This thread is locked; no new comments');
  // Sanctions, guidelines and automatic moderation (issue 6): may refuse, censor or hold for approval.
  const attempt: WriteAttempt = {
    kind: 'comment',
    communityId: thread.community_id,
    userId: viewer.userId,
    isModerator: access.isModerator,
    threadId,
    body: sent.body,
  };
  const verdict = await screenWrite(deps, attempt);
  const body = { ...sent, body: verdict.body ?? sent.body };
  let parent: q.CommentRow | undefined;
  if (body.parentId != null) {
    parent = await q.findComment(deps.db, body.parentId);
    if (!parent || parent.thread_id !== threadId) invalid('parentId', 'is not a comment of this thread');
    if (parent.deleted_at) fail('CONTENT_DELETED', 'The comment you reply to was deleted');
    if (parent.depth + 1 > MAX_DEPTH)
      fail('COMMENT_TOO_DEEP', `Replies nest at most ${MAX_DEPTH} levels deep`);
  }
  const rendered = renderMarkdown(body.body);
  const now = deps.clock.now();
  const created = await inTransaction(deps, async (trx) => {
    const depth = parent ? parent.depth + 1 : 0;
    const c = await trx
      .insertInto('comments')
      .values({
        thread_id: threadId,
        community_id: thread.community_id,
        parent_id: parent?.id ?? null,
        author_id: viewer.userId,
        depth,
        path: '',
        body: body.body,
        body_html: rendered.html,
        score: 0,
        up_count: 0,
        down_count: 0,
        reaction_counts: '{}',
        created_at: now,
        status: verdict.hold ? 'pending' : 'visible',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const path = parent ? `${parent.path}.${pathSegment(c.id)}` : pathSegment(c.id);
    await trx.updateTable('comments').set({ path }).where('id', '=', c.id).execute();
    // A held comment is counted (and announced, below) when a moderator approves it.
    if (!verdict.hold) {
      await trx
        .updateTable('threads')
        .set((eb) => ({ comment_count: eb('comment_count', '+', 1), last_comment_at: now }))
        .where('id', '=', threadId)
        .execute();
    }
    const community = { id: thread.community_id, visibility: thread.community_visibility };
    const mentionedUsers = await resolveMentionUsers(trx, community, rendered.mentions, viewer.userId);
    const mentioned = mentionedUsers.map((u) => u.id);
    await q.insertMentions(
      trx,
      { targetType: 'comment', targetId: c.id, communityId: thread.community_id, now },
      mentioned,
    );
    const [author] = await q.findUsersByIds(trx, [viewer.userId]);
    await recordWrite(trx, deps, attempt, verdict, { type: 'comment', id: c.id });
    await opts.attach?.(trx, { id: c.id, communityId: thread.community_id });
    if (!verdict.hold) {
      await deps.events.emit(trx, 'content.comment_created', {
        commentId: c.id,
        threadId,
        communityId: thread.community_id,
        authorId: viewer.userId,
        parentId: parent?.id ?? null,
        parentAuthorId: parent?.author_id ?? null,
        threadAuthorId: thread.author_id,
        depth,
        mentionedUserIds: mentioned,
      });
    }
    const row: q.CommentRow = {
      ...c,
      path,
      author_username: author?.username ?? viewer.username,
      author_display_name: author?.display_name ?? viewer.username,
      author_avatar_url: author?.avatar_url ?? null,
      mention_names: mentionedUsers.map((u) => u.username).join(',') || null,
    };
    return row;
  });
  // Presented from what was written (no read-back): the checks above already passed for this thread.
  // Campaign content (partnerships) attached a disclosure label in the transaction: show it.
  const sponsored = opts.attach
    ? ((await q.sponsorsOf(deps.db, 'comment', [created.id])).get(created.id) ?? null)
    : null;
  return presentNewComment(created, sponsored);
}

export async function getComment(deps: ContentDeps, id: number, viewer: Viewer | null) {
  const { comment } = await loadReadableComment(deps.db, id, viewer);
  const [presented] = await presentComments(deps.db, [comment], viewer);
  return presented!;
}

export async function updateComment(deps: ContentDeps, id: number, viewer: Viewer, sentBody: string) {
  const { comment, thread, access } = await loadReadableComment(deps.db, id, viewer);
  if (comment.deleted_at) fail('CONTENT_DELETED', 'This comment was deleted');
  if (comment.author_id !== viewer.userId && !access.isModerator) {
    fail('FORBIDDEN', 'Only the author or a moderator can edit this comment');
  }
  if (thread.locked && !access.isModerator) fail('THREAD_LOCKED', 'This thread is locked');
  // Sanctions and watched words apply to edits too (issue 6); an edit is flagged, never held.
  const attempt: WriteAttempt = {
    kind: 'edit_comment',
    communityId: comment.community_id,
    userId: viewer.userId,
    isModerator: access.isModerator,
    threadId: comment.thread_id,
    body: sentBody,
  };
  const verdict = await screenWrite(deps, attempt);
  const newBody = verdict.body ?? sentBody;
  const rendered = renderMarkdown(newBody);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await q.insertRevision(trx, {
      communityId: comment.community_id,
      targetType: 'comment',
      targetId: id,
      title: null,
      body: comment.body,
      editedBy: viewer.userId,
      now,
    });
    await trx
      .updateTable('comments')
      .set({ body: newBody, body_html: rendered.html, edited_at: now })
      .where('id', '=', id)
      .execute();
    const community = { id: thread.community_id, visibility: thread.community_visibility };
    const mentioned = await resolveMentions(trx, community, rendered.mentions, comment.author_id);
    const fresh = await q.replaceMentions(
      trx,
      { targetType: 'comment', targetId: id, communityId: comment.community_id, now },
      mentioned,
    );
    await deps.events.emit(trx, 'content.comment_edited', {
      commentId: id,
      threadId: comment.thread_id,
      communityId: comment.community_id,
      editorId: viewer.userId,
      newMentionedUserIds: fresh,
    });
    await recordWrite(trx, deps, attempt, verdict, { type: 'comment', id });
  });
  return getComment(deps, id, viewer);
}

export async function deleteComment(deps: ContentDeps, id: number, viewer: Viewer) {
  const { comment, access } = await loadReadableComment(deps.db, id, viewer);
  if (comment.author_id !== viewer.userId && !access.isModerator) {
    fail('FORBIDDEN', 'Only the author or a moderator can delete this comment');
  }
  if (comment.deleted_at) return;
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('comments')
      .set({ deleted_at: deps.clock.now(), deleted_by: viewer.userId })
      .where('id', '=', id)
      .execute();
    // A held comment was never counted nor announced (issue 6), so its deletion is not either.
    if (comment.status === 'visible') {
      await trx
        .updateTable('threads')
        .set((eb) => ({ comment_count: eb('comment_count', '-', 1) }))
        .where('id', '=', comment.thread_id)
        .execute();
      await deps.events.emit(trx, 'content.comment_deleted', {
        commentId: id,
        threadId: comment.thread_id,
        communityId: comment.community_id,
        authorId: comment.author_id,
        deletedBy: viewer.userId,
      });
    }
  });
}

/** Revision history of a comment; the words of a deleted comment stay hidden from non-moderators. */
export async function commentRevisionsAllowed(deps: ContentDeps, id: number, viewer: Viewer | null) {
  const { comment, access } = await loadReadableComment(deps.db, id, viewer);
  if (comment.deleted_at && !access.isModerator) fail('COMMENT_NOT_FOUND', `No comment ${id}`);
}
