import { DAY } from '../../platform/clock.ts';
import type { Events } from '../../platform/events.ts';
import {
  award,
  contentIsLive,
  reactionsBetween,
  revokeSource,
  revokeSourcePrefix,
} from './gamification.queries.ts';

/** Default weights (per-community settings are not built yet; see README). */
export const WEIGHTS = {
  thread_created: 5,
  comment_created: 2,
  reaction_received: 1,
  daily_visit: 1,
} as const;

/**
 * Reaction ring: two members who react to each other's content at least RING_MIN times each
 * within RING_WINDOW (A→B ≥ 5 and B→A ≥ 5 in 30 days) earn no reaction points from each other.
 * Our own threshold (no published source): five mutual reactions a month is well above what two
 * regulars trade naturally in a small community, and one-sided fans are never affected.
 */
export const RING_MIN = 5;
export const RING_WINDOW = 30 * DAY;

const threadSrc = (id: number) => `thread:${id}`;
const commentSrc = (id: number) => `comment:${id}`;
const reactionPrefix = (type: string, id: number) => `reaction:${type}:${id}:`;

/** Points from content events, consumed through the outbox; every handler is idempotent. */
export function registerPointHandlers(events: Events): void {
  events.on('content.thread_created', 'gamification.points.thread_created', async (p, ctx) => {
    if (!(await contentIsLive(ctx.db, 'thread', p.threadId))) return;
    await award(ctx.db, {
      communityId: p.communityId,
      userId: p.authorId,
      source: threadSrc(p.threadId),
      reason: 'thread_created',
      points: WEIGHTS.thread_created,
      at: ctx.occurredAt,
    });
  });
  events.on('content.comment_created', 'gamification.points.comment_created', async (p, ctx) => {
    if (!(await contentIsLive(ctx.db, 'comment', p.commentId))) return;
    await award(ctx.db, {
      communityId: p.communityId,
      userId: p.authorId,
      source: commentSrc(p.commentId),
      reason: 'comment_created',
      points: WEIGHTS.comment_created,
      at: ctx.occurredAt,
    });
  });
  events.on('content.reaction_added', 'gamification.points.reaction_added', async (p, ctx) => {
    // Never points from your own action on your own content.
    if (p.userId === p.authorId) return;
    if (!(await contentIsLive(ctx.db, p.targetType, p.targetId))) return;
    const since = ctx.occurredAt - RING_WINDOW;
    const given = await reactionsBetween(ctx.db, p.communityId, p.userId, p.authorId, since);
    const back = await reactionsBetween(ctx.db, p.communityId, p.authorId, p.userId, since);
    if (given >= RING_MIN && back >= RING_MIN) return;
    // A changed kind (previousKind set) keeps the one award: same source key, insert is a no-op.
    await award(ctx.db, {
      communityId: p.communityId,
      userId: p.authorId,
      source: `${reactionPrefix(p.targetType, p.targetId)}${p.userId}`,
      reason: 'reaction_received',
      points: WEIGHTS.reaction_received,
      at: ctx.occurredAt,
    });
  });
  events.on('content.reaction_removed', 'gamification.points.reaction_removed', async (p, ctx) => {
    await revokeSource(ctx.db, `${reactionPrefix(p.targetType, p.targetId)}${p.userId}`);
  });
  // Removed content earns nothing: its own award and the reactions it received are taken back.
  events.on('content.thread_deleted', 'gamification.points.thread_deleted', async (p, ctx) => {
    await revokeSource(ctx.db, threadSrc(p.threadId));
    await revokeSourcePrefix(ctx.db, reactionPrefix('thread', p.threadId));
  });
  events.on('content.comment_deleted', 'gamification.points.comment_deleted', async (p, ctx) => {
    await revokeSource(ctx.db, commentSrc(p.commentId));
    await revokeSourcePrefix(ctx.db, reactionPrefix('comment', p.commentId));
  });
}
