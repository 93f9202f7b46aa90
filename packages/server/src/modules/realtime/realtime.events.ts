import type { Events, HandlerContext } from '../../platform/events.ts';
import '../communities/communities.events.ts';
import '../content/content.events.ts';
import '../moderation/moderation.events.ts';
import '../messaging/messaging.events.ts';
import '../notifications/notifications.events.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { presentComments } from '../content/content.present.ts';
import { findComment } from '../content/content.queries.ts';
import { communityChannel, inboxChannel, threadChannel } from './realtime.access.ts';
import type { LiveHub } from './realtime.hub.ts';
import * as q from './realtime.queries.ts';

/**
 * Events in → live events out. Each handler writes the live event into `live_events` (the
 * resume history) in its outbox transaction and publishes it once that committed, so a client
 * never sees an event that a reconnect could not replay. Payloads hold only what every
 * subscriber of the channel may read: a thread channel's subscribers may all read the thread.
 * Held (pending) content is never announced: content emits no event for it until approved.
 */
export function registerLiveHandlers(events: Events, hub: LiveHub): void {
  // Live fan-out runs before the other handlers of an event (points, trust, ranks, notifications):
  // it is cheap and it is what people are waiting for.
  const on: Events['on'] = (type, name, fn) => events.on(type, name, fn, { first: true });
  const live = async (ctx: HandlerContext, channel: string, kind: string, data: unknown) => {
    const at = ctx.occurredAt;
    const id = await q.insertLiveEvent(ctx.db, { channel, kind, payload: JSON.stringify(data), at });
    ctx.afterCommit(() => hub.publish({ id, channel, kind, data, at }));
  };

  const presentedComment = async (ctx: HandlerContext, id: number) => {
    const row = await findComment(ctx.db, id);
    if (!row || row.status === 'pending') return null;
    const [c] = await presentComments(ctx.db as never, [row], null);
    return c ?? null;
  };

  on('content.comment_created', 'realtime.comment_created', async (e, ctx) => {
    const comment = await presentedComment(ctx, e.commentId);
    if (!comment) return;
    await live(ctx, threadChannel(e.threadId), 'comment.created', { comment });
    const t = await q.findThreadBrief(ctx.db, e.threadId);
    if (t)
      await live(ctx, communityChannel(e.communityId), 'thread.activity', {
        threadId: e.threadId,
        commentCount: t.comment_count,
        lastCommentAt: iso(ctx.occurredAt),
      });
  });
  on('content.comment_edited', 'realtime.comment_edited', async (e, ctx) => {
    const comment = await presentedComment(ctx, e.commentId);
    if (comment) await live(ctx, threadChannel(e.threadId), 'comment.edited', { comment });
  });
  on('content.comment_deleted', 'realtime.comment_deleted', async (e, ctx) => {
    await live(ctx, threadChannel(e.threadId), 'comment.deleted', {
      commentId: e.commentId,
      threadId: e.threadId,
    });
  });

  const reaction = async (
    e: { targetType: 'thread' | 'comment'; targetId: number },
    ctx: HandlerContext,
  ): Promise<void> => {
    if (e.targetType === 'thread') {
      const t = await q.findThreadBrief(ctx.db, e.targetId);
      if (!t || t.status === 'pending') return;
      await live(ctx, threadChannel(t.id), 'reaction.changed', {
        targetType: 'thread',
        targetId: t.id,
        score: t.score,
        reactionCounts: JSON.parse(t.reaction_counts),
      });
    } else {
      const c = await q.findCommentBrief(ctx.db, e.targetId);
      if (!c || c.status === 'pending') return;
      await live(ctx, threadChannel(c.thread_id), 'reaction.changed', {
        targetType: 'comment',
        targetId: c.id,
        score: c.score,
        reactionCounts: JSON.parse(c.reaction_counts),
      });
    }
  };
  on('content.reaction_added', 'realtime.reaction_added', reaction);
  on('content.reaction_removed', 'realtime.reaction_removed', reaction);

  on('content.thread_created', 'realtime.thread_created', async (e, ctx) => {
    const t = await q.findThreadBrief(ctx.db, e.threadId);
    if (!t || t.status === 'pending' || t.deleted_at) return;
    await live(ctx, communityChannel(e.communityId), 'thread.created', {
      thread: {
        id: t.id,
        title: t.title,
        author: { username: t.username, displayName: t.display_name },
        tags: e.tags,
        createdAt: iso(t.created_at),
      },
    });
  });
  on('content.thread_edited', 'realtime.thread_edited', async (e, ctx) => {
    const t = await q.findThreadBrief(ctx.db, e.threadId);
    if (!t || t.status === 'pending' || t.deleted_at) return;
    const data = { threadId: t.id, title: t.title, bodyHtml: t.body_html, editedAt: isoOrNull(t.edited_at) };
    await live(ctx, threadChannel(t.id), 'thread.edited', data);
    await live(ctx, communityChannel(e.communityId), 'thread.edited', { threadId: t.id, title: t.title });
  });
  on('content.thread_moderated', 'realtime.thread_moderated', async (e, ctx) => {
    await live(ctx, threadChannel(e.threadId), 'thread.moderated', {
      threadId: e.threadId,
      pinned: e.pinned,
      locked: e.locked,
    });
  });
  on('content.thread_deleted', 'realtime.thread_deleted', async (e, ctx) => {
    await live(ctx, threadChannel(e.threadId), 'thread.deleted', { threadId: e.threadId });
    await live(ctx, communityChannel(e.communityId), 'thread.deleted', { threadId: e.threadId });
  });

  // Access changes: every process re-authorizes the affected subscriptions.
  on('communities.member_left', 'realtime.recheck_on_leave', async (e, ctx) => {
    ctx.afterCommit(() => hub.control({ kind: 'recheck', communityId: e.communityId, userId: e.userId }));
  });
  on('communities.updated', 'realtime.recheck_on_update', async (e, ctx) => {
    ctx.afterCommit(() => hub.control({ kind: 'recheck', communityId: e.communityId, userId: null }));
  });
  on('moderation.action_taken', 'realtime.recheck_on_sanction', async (e, ctx) => {
    if (e.communityId == null || e.targetUserId == null) return;
    if (!['ban', 'suspend'].includes(e.kind)) return;
    const { communityId, targetUserId } = e;
    ctx.afterCommit(() => hub.control({ kind: 'recheck', communityId, userId: targetUserId }));
  });

  // Inbox: notifications and direct messages reach their owner's other tabs and devices too.
  on('notifications.created', 'realtime.notification_created', async (e, ctx) => {
    await live(ctx, inboxChannel(e.userId), 'notification.created', {
      notification: e.notification,
      unreadCount: e.unreadCount,
    });
  });
  on('notifications.read', 'realtime.notifications_read', async (e, ctx) => {
    await live(ctx, inboxChannel(e.userId), 'notification.read', { ids: e.ids, unreadCount: e.unreadCount });
  });
  on('messaging.message_sent', 'realtime.message_sent', async (e, ctx) => {
    for (const userId of new Set([e.senderId, ...e.recipientIds])) {
      await live(ctx, inboxChannel(userId), 'message.created', {
        conversationId: e.conversationId,
        message: e.message,
      });
    }
  });
}
