import type { Clock } from '../../platform/clock.ts';
import type { Events, HandlerContext } from '../../platform/events.ts';
import '../communities/communities.events.ts';
import '../content/content.events.ts';
import { latestVersion } from './guidelines.queries.ts';
import { syncGuidelines } from './guidelines.service.ts';
import { markVisit } from './trust.queries.ts';
import { recomputeTrust } from './trust.service.ts';

/** Events the moderation module emits. Payloads carry ids; consumers load what they need. */
declare module '../../platform/events.ts' {
  interface EventMap {
    'moderation.report_created': {
      itemId: number;
      communityId: number | null;
      targetType: string;
      targetId: number;
    };
    'moderation.content_held': {
      itemId: number;
      communityId: number;
      targetType: 'thread' | 'comment';
      targetId: number;
      authorId: number;
      reasons: string[];
    };
    /** Every moderator action; `reason` is what the member is told. */
    'moderation.action_taken': {
      actionId: number;
      communityId: number | null;
      kind: string;
      moderatorId: number | null;
      targetUserId: number | null;
      targetType: string | null;
      targetId: number | null;
      reason: string;
      expiresAt: number | null;
    };
    'moderation.content_restored': {
      communityId: number;
      targetType: 'thread' | 'comment';
      targetId: number;
      authorId: number;
    };
    'moderation.appeal_created': {
      appealId: number;
      actionId: number;
      communityId: number | null;
      userId: number;
    };
    'moderation.appeal_decided': {
      appealId: number;
      actionId: number;
      communityId: number | null;
      userId: number;
      decision: 'upheld' | 'overturned';
    };
    'moderation.guidelines_changed': { communityId: number; version: number };
    'moderation.trust_level_changed': { communityId: number; userId: number; from: number; to: number };
    'moderation.note_status_changed': {
      noteId: number;
      communityId: number;
      targetType: 'thread' | 'comment';
      targetId: number;
      status: string;
    };
  }
}

/**
 * Events in: guideline edits become versions; writing and reacting count as visits and may
 * raise trust levels (the author of what was liked too).
 */
export function registerModerationHandlers(events: Events, clock: Clock): void {
  events.on('communities.created', 'moderation.guidelines_first_version', async (e, { db }) => {
    await syncGuidelines(db, e.communityId, null, e.ownerId);
  });
  events.on('communities.updated', 'moderation.guidelines_version', async (e, { db, occurredAt }) => {
    const before = (await latestVersion(db, e.communityId))?.version ?? 0;
    const current = await syncGuidelines(db, e.communityId, occurredAt, e.by);
    if (current && current.version !== before) {
      await events.emit(db, 'moderation.guidelines_changed', {
        communityId: e.communityId,
        version: current.version,
      });
    }
  });
  const activity = async (db: HandlerContext['db'], communityId: number, userId: number, at: number) => {
    await markVisit(db, communityId, userId, at);
    await recomputeTrust(db, events, communityId, userId, clock.now());
  };
  events.on('content.thread_created', 'moderation.trust_on_thread', async (e, { db, occurredAt }) => {
    await activity(db, e.communityId, e.authorId, occurredAt);
  });
  events.on('content.comment_created', 'moderation.trust_on_comment', async (e, { db, occurredAt }) => {
    await activity(db, e.communityId, e.authorId, occurredAt);
  });
  events.on('content.reaction_added', 'moderation.trust_on_reaction', async (e, { db, occurredAt }) => {
    await markVisit(db, e.communityId, e.userId, occurredAt);
    await recomputeTrust(db, events, e.communityId, e.userId, clock.now());
    if (e.authorId !== e.userId) await recomputeTrust(db, events, e.communityId, e.authorId, clock.now());
  });
  events.on('communities.member_joined', 'moderation.trust_on_join', async (e, { db }) => {
    await recomputeTrust(db, events, e.communityId, e.userId, clock.now());
  });
}
