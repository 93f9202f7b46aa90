import type { Events } from '../../platform/events.ts';
import '../content/content.events.ts';
import '../feed/feed.events.ts';
import '../messaging/messaging.events.ts';
import '../moderation/moderation.events.ts';
import * as q from './notifications.queries.ts';
import type { Notification } from './notifications.schema.ts';
import { type NotificationDeps, notify } from './notifications.service.ts';

/** Events the notifications module emits (realtime delivers them to the member's open tabs). */
declare module '../../platform/events.ts' {
  interface EventMap {
    /** A notification was created, or an unread group (reactions, a conversation) grew. */
    'notifications.created': {
      notificationId: number;
      userId: number;
      type: string;
      grouped: boolean;
      notification: Notification;
      unreadCount: number;
    };
    'notifications.read': { userId: number; ids: number[]; unreadCount: number };
  }
}

/** Which moderator actions the member hears about (approve and escalate are not news to them). */
const TOLD = new Set(['remove', 'lock', 'warn', 'mute', 'ban', 'suspend', 'revoke', 'unlock']);

/**
 * Events in → notifications. Each handler only decides who and what; `notify` applies the
 * preference, the never-yourself rule and the privacy checks.
 */
export function registerNotificationHandlers(events: Events, deps: NotificationDeps): void {
  events.on('content.comment_created', 'notifications.on_comment', async (e, ctx) => {
    const target = { type: 'comment', id: e.commentId };
    const base = { actorId: e.authorId, communityId: e.communityId, threadId: e.threadId, target };
    // A reply goes to the parent comment's author, or to the thread's author for a top-level comment.
    const repliedTo = e.parentId != null ? e.parentAuthorId : e.threadAuthorId;
    if (repliedTo != null) {
      await notify(deps, ctx, {
        ...base,
        userId: repliedTo,
        type: 'reply',
        data: { targetType: e.parentId != null ? 'comment' : 'thread' },
      });
    }
    for (const userId of e.mentionedUserIds) {
      if (userId !== repliedTo) await notify(deps, ctx, { ...base, userId, type: 'mention' });
    }
  });

  events.on('content.comment_edited', 'notifications.on_comment_edit', async (e, ctx) => {
    for (const userId of e.newMentionedUserIds) {
      await notify(deps, ctx, {
        userId,
        type: 'mention',
        actorId: e.editorId,
        communityId: e.communityId,
        threadId: e.threadId,
        target: { type: 'comment', id: e.commentId },
      });
    }
  });

  events.on('content.thread_created', 'notifications.on_thread', async (e, ctx) => {
    const base = {
      actorId: e.authorId,
      communityId: e.communityId,
      threadId: e.threadId,
      target: { type: 'thread', id: e.threadId },
    };
    const told = new Set<number>([e.authorId]);
    for (const userId of e.mentionedUserIds) {
      told.add(userId);
      await notify(deps, ctx, { ...base, userId, type: 'mention' });
    }
    for (const { user_id } of await q.watchersOf(ctx.db, e.communityId)) {
      if (told.has(user_id)) continue;
      told.add(user_id);
      await notify(deps, ctx, { ...base, userId: user_id, type: 'watched_community' });
    }
    for (const [userId, tags] of await q.tagFollowers(ctx.db, e.tags)) {
      if (told.has(userId)) continue;
      told.add(userId);
      await notify(deps, ctx, { ...base, userId, type: 'followed_tag', data: { tags } });
    }
  });

  events.on('content.thread_edited', 'notifications.on_thread_edit', async (e, ctx) => {
    for (const userId of e.newMentionedUserIds) {
      await notify(deps, ctx, {
        userId,
        type: 'mention',
        actorId: e.editorId,
        communityId: e.communityId,
        threadId: e.threadId,
        target: { type: 'thread', id: e.threadId },
      });
    }
  });

  events.on('content.reaction_added', 'notifications.on_reaction', async (e, ctx) => {
    // A changed kind is the same reaction; downvotes are not news anyone wants.
    if (e.previousKind != null || e.kind === 'downvote') return;
    const threadId =
      e.targetType === 'thread' ? e.targetId : ((await q.findCommentThreadId(ctx.db, e.targetId)) ?? null);
    if (threadId == null) return;
    await notify(deps, ctx, {
      userId: e.authorId,
      type: 'reaction',
      actorId: e.userId,
      communityId: e.communityId,
      threadId,
      target: { type: e.targetType, id: e.targetId },
      groupKey: `reaction:${e.targetType}:${e.targetId}`,
      data: { targetType: e.targetType },
    });
  });

  events.on('feed.user_followed', 'notifications.on_follow', async (e, ctx) => {
    await notify(deps, ctx, { userId: e.followeeId, type: 'follower', actorId: e.followerId });
  });

  events.on('moderation.action_taken', 'notifications.on_mod_action', async (e, ctx) => {
    if (e.targetUserId == null || !TOLD.has(e.kind)) return;
    // The member may no longer read the community (a ban): they are still told, without its content.
    const c = e.communityId != null ? await q.findCommunityName(ctx.db, e.communityId) : undefined;
    await notify(deps, ctx, {
      userId: e.targetUserId,
      type: 'moderation',
      actorId: null,
      data: { kind: e.kind, reason: e.reason, ...(c && { community: c }) },
    });
  });

  events.on('moderation.appeal_decided', 'notifications.on_appeal', async (e, ctx) => {
    const c = e.communityId != null ? await q.findCommunityName(ctx.db, e.communityId) : undefined;
    await notify(deps, ctx, {
      userId: e.userId,
      type: 'moderation',
      actorId: null,
      data: { kind: `appeal ${e.decision}`, ...(c && { community: c }) },
    });
  });

  events.on('messaging.message_sent', 'notifications.on_message', async (e, ctx) => {
    for (const userId of e.recipientIds) {
      await notify(deps, ctx, {
        userId,
        type: 'dm',
        actorId: e.senderId,
        groupKey: `dm:${e.conversationId}`,
        data: { conversationId: e.conversationId },
      });
    }
  });

  // Reading a conversation reads its message notification too (the bell follows, live).
  events.on('messaging.conversation_read', 'notifications.on_conversation_read', async (e, ctx) => {
    const ids = await q.markGroupRead(ctx.db, e.userId, `dm:${e.conversationId}`, ctx.occurredAt);
    if (ids.length === 0) return;
    const unreadCount = await q.countUnread(ctx.db, e.userId);
    await deps.events.emit(ctx.db, 'notifications.read', { userId: e.userId, ids, unreadCount });
    ctx.afterCommit(() => deps.events.kick());
  });
}
