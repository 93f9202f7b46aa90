import type { Events, HandlerContext } from '../../platform/events.ts';
import '../content/content.events.ts';
import '../events/events.events.ts';
import '../gamification/gamification.events.ts';
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

  // Events (issue 10): reminders 24 h and 1 h before, a place freed from the waitlist, a cancellation.
  const aboutEvent = async (
    ctx: HandlerContext,
    e: { eventId: number; communityId: number },
    userId: number,
    kind: 'reminder_24h' | 'reminder_1h' | 'promoted' | 'cancelled',
    actorId: number | null = null,
  ) => {
    const ev = await q.findEventBrief(ctx.db, e.eventId);
    if (!ev) return;
    await notify(deps, ctx, {
      userId,
      type: 'event',
      actorId,
      communityId: e.communityId,
      target: { type: 'event', id: ev.id },
      data: { kind, event: { id: ev.id, title: ev.title, startsAt: ev.starts_at, timeZone: ev.time_zone } },
    });
  };
  events.on('events.reminder_due', 'notifications.on_event_reminder', async (e, ctx) =>
    aboutEvent(ctx, e, e.userId, e.kind === '1h' ? 'reminder_1h' : 'reminder_24h'),
  );
  events.on('events.promoted_from_waitlist', 'notifications.on_event_promoted', async (e, ctx) =>
    aboutEvent(ctx, e, e.userId, 'promoted'),
  );
  events.on('events.updated', 'notifications.on_event_cancelled', async (e, ctx) => {
    if (!e.cancelledNow) return;
    for (const { user_id } of await q.eventAnswerers(ctx.db, e.eventId))
      await aboutEvent(ctx, e, user_id, 'cancelled', e.updatedBy);
  });

  // Gamification (issue 7): the badge, which the web app also shows as a toast when it arrives live.
  events.on('gamification.badge_earned', 'notifications.on_badge', async (e, ctx) => {
    const badge = await q.findBadgeBrief(ctx.db, e.badgeId);
    if (!badge) return;
    await notify(deps, ctx, {
      userId: e.userId,
      type: 'badge',
      actorId: null,
      communityId: e.communityId,
      data: { badge: { id: e.badgeId, name: badge.name, tier: badge.tier } },
    });
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
