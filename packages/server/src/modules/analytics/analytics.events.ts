import type { Events } from '../../platform/events.ts';
import '../communities/communities.events.ts';
import '../content/content.events.ts';
import '../moderation/moderation.events.ts';
import '../privacy/privacy.events.ts';
import * as q from './analytics.queries.ts';
import { dayOf } from './periods.ts';
import { scoreText, sentimentCounters } from './sentiment.ts';

/**
 * Events in: contributions (threads, comments, reactions), joins and leaves, moderation
 * actions and reports become rollup increments dated by the event; a withdrawn consent
 * forgets the member's reading as theirs. Events out: none.
 *
 * Public contributions are counted whatever the member's consent (they are public facts);
 * reading never arrives here (it comes through the ingestion endpoint). Each handler first takes
 * its community's analytics lock (no deadlock with a rebuild on PostgreSQL) and skips an event
 * a rebuild has already counted (q.countedByRebuild).
 */
export function registerAnalyticsHandlers(events: Events): void {
  events.on('content.thread_created', 'analytics.thread_created', async (e, { db, occurredAt, eventId }) => {
    if (await q.countedByRebuild(db, e.communityId, eventId)) return;
    const t = await q.findThreadText(db, e.threadId);
    if (!t) return;
    const day = dayOf(t.created_at);
    await q.bumpDay(db, e.communityId, day, {
      threads: 1,
      ...sentimentCounters(scoreText(`${t.title}\n${t.body}`)),
    });
    await q.bumpMembers(db, [{ community_id: e.communityId, user_id: e.authorId, day, add: { threads: 1 } }]);
    await q.ensureThread(db, e.threadId);
    await q.markContribution(db, e.communityId, e.authorId, t.created_at ?? occurredAt);
  });

  events.on(
    'content.comment_created',
    'analytics.comment_created',
    async (e, { db, occurredAt, eventId }) => {
      if (await q.countedByRebuild(db, e.communityId, eventId)) return;
      const c = await q.findCommentText(db, e.commentId);
      if (!c) return;
      const at = c.created_at ?? occurredAt;
      const day = dayOf(at);
      await q.bumpDay(db, e.communityId, day, { comments: 1, ...sentimentCounters(scoreText(c.body)) });
      const to = e.parentAuthorId ?? e.threadAuthorId;
      const rows: Parameters<typeof q.bumpMembers>[1] = [
        { community_id: e.communityId, user_id: e.authorId, day, add: { comments: 1 } },
      ];
      if (to !== e.authorId) {
        rows.push({ community_id: e.communityId, user_id: to, day, add: { replies_received: 1 } });
        await q.bump(
          db,
          'analytics_replies',
          ['community_id', 'day', 'to_user_id', 'from_user_id'],
          ['n'],
          [{ community_id: e.communityId, day, to_user_id: to, from_user_id: e.authorId, n: 1 }],
        );
        await q.replyAdded(db, e.communityId, day, to, e.authorId);
      }
      await q.bumpMembers(db, rows);
      const byOther = e.authorId !== e.threadAuthorId;
      await q.recordReply(db, {
        threadId: e.threadId,
        depth: e.depth,
        at,
        byOther,
        newReplier: byOther && (await q.isNewReplier(db, e.threadId, e.authorId, e.commentId)),
      });
      await q.bump(
        db,
        'analytics_thread_days',
        ['community_id', 'day', 'thread_id'],
        ['comments'],
        [{ community_id: e.communityId, day, thread_id: e.threadId, comments: 1 }],
      );
      await q.markContribution(db, e.communityId, e.authorId, at);
    },
  );

  events.on('content.reaction_added', 'analytics.reaction_added', async (e, { db, occurredAt, eventId }) => {
    if (await q.countedByRebuild(db, e.communityId, eventId)) return;
    if (e.previousKind != null) return; // a changed kind is the same reaction
    const day = dayOf(occurredAt);
    await q.bumpDay(db, e.communityId, day, { reactions: 1 });
    await q.bumpMembers(db, [{ community_id: e.communityId, user_id: e.userId, day, add: { reactions: 1 } }]);
    const threadId =
      e.targetType === 'thread' ? e.targetId : (await q.findCommentText(db, e.targetId))?.thread_id;
    if (threadId) await q.bumpThreadReactions(db, threadId, 1);
  });

  events.on('content.thread_deleted', 'analytics.thread_deleted', async (e, { db }) => {
    await q.markThreadDeleted(db, e.threadId);
  });

  // The owner is the first member (no member_joined is emitted for them).
  events.on('communities.created', 'analytics.community_created', async (e, { db, occurredAt, eventId }) => {
    if (await q.countedByRebuild(db, e.communityId, eventId)) return;
    await q.bumpDay(db, e.communityId, dayOf(occurredAt), { new_members: 1 });
    await q.markJoined(db, e.communityId, e.ownerId, occurredAt);
  });

  events.on(
    'communities.member_joined',
    'analytics.member_joined',
    async (e, { db, occurredAt, eventId }) => {
      if (await q.countedByRebuild(db, e.communityId, eventId)) return;
      await q.bumpDay(db, e.communityId, dayOf(occurredAt), { new_members: 1 });
      await q.markJoined(db, e.communityId, e.userId, occurredAt);
    },
  );

  events.on('communities.member_left', 'analytics.member_left', async (e, { db, occurredAt, eventId }) => {
    if (await q.countedByRebuild(db, e.communityId, eventId)) return;
    await q.bumpDay(db, e.communityId, dayOf(occurredAt), { left_members: 1 });
    await q.markLeft(db, e.communityId, e.userId, occurredAt);
  });

  events.on('moderation.action_taken', 'analytics.mod_action', async (e, { db, occurredAt, eventId }) => {
    if (e.communityId == null) return;
    if (await q.countedByRebuild(db, e.communityId, eventId)) return;
    await q.bumpDay(db, e.communityId, dayOf(occurredAt), { mod_actions: 1 });
  });

  events.on('moderation.report_created', 'analytics.report', async (e, { db, occurredAt, eventId }) => {
    if (e.communityId == null) return;
    if (await q.countedByRebuild(db, e.communityId, eventId)) return;
    await q.bumpDay(db, e.communityId, dayOf(occurredAt), { reports: 1 });
  });

  events.on('privacy.consent_changed', 'analytics.consent_changed', async (e, { db }) => {
    if (!e.granted) await q.forgetMemberReading(db, e.userId);
  });
}
