import type { Transaction } from 'kysely';
import type { DB, ReportTargetType } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { loadCommunity, loadReadableTarget, type ModerationDeps } from './context.ts';
import { citeRule } from './guidelines.service.ts';
import * as mq from './moderation.queries.ts';
import * as qq from './queue.queries.ts';
import { levelOf } from './trust.queries.ts';
import { flagWeight } from './trust.ts';

/** Why members report; automatic moderation adds `watched_word` and `cross_posting`. */
export const REPORT_REASONS = [
  'spam',
  'harassment',
  'hate',
  'misinformation',
  'off_topic',
  'inappropriate',
  'breaks_rule',
  'other',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Automatic moderation reports weigh like a trust-level-2 member's (Discourse: 1 + TL). */
export const AUTOMOD_WEIGHT = 3;

export interface NewReport {
  type: ReportTargetType;
  id: number;
  communityId: number | null;
  /** The queue: the community's id, or 0 for the site queue. */
  scopeId: number;
  targetUserId: number | null;
  reporterId: number | null;
  reason: string;
  ruleNumber: number | null;
  guidelineVersion: number | null;
  note: string;
  weight: number;
  held?: boolean;
}

/** Files a report into the right queue (creating or raising the target's open item). */
export async function addReport(trx: Transaction<DB>, events: Events, r: NewReport, now: number) {
  const item = await qq.ensureOpenItem(
    trx,
    { type: r.type, id: r.id, communityId: r.communityId, scopeId: r.scopeId, userId: r.targetUserId },
    now,
  );
  await qq.addToItem(trx, item.id, { score: r.weight, count: 1, held: r.held, now });
  if (r.reporterId != null && (await qq.findReportBy(trx, item.id, r.reporterId))) {
    fail('ALREADY_REPORTED', 'You already reported this; moderators will look at it');
  }
  const report = await qq.insertReport(trx, {
    item_id: item.id,
    community_id: r.communityId,
    reporter_id: r.reporterId,
    source: r.reporterId == null ? 'automod' : 'member',
    reason: r.reason,
    rule_number: r.ruleNumber,
    guideline_version: r.guidelineVersion,
    note: r.note,
    weight: r.weight,
    status: 'open',
    created_at: now,
  });
  await events.emit(trx, 'moderation.report_created', {
    itemId: item.id,
    communityId: r.communityId,
    targetType: r.type,
    targetId: r.id,
  });
  return { reportId: report.id, item };
}

export interface ReportBody {
  targetType: ReportTargetType;
  targetId: number;
  reason: ReportReason;
  ruleNumber?: number;
  note?: string;
  /** For a profile: the community where the member misbehaved (its queue); none means the site queue. */
  community?: string;
}

/**
 * A member reports a thread, comment or profile. The report weighs by the reporter's trust in
 * that community (Discourse's flag score: 1 + trust level, 5 for staff, plus an accuracy bonus
 * from their past reports) and may cite a rule of the current guidelines.
 */
export async function createReport(deps: ModerationDeps, viewer: Viewer, body: ReportBody) {
  if (body.targetType === 'message') {
    // Only a participant can say what they saw: messaging files these (POST /messages/{id}/report).
    invalid('targetType', 'report a direct message with POST /messages/{id}/report');
  }
  let communityId: number | null;
  let targetUserId: number;
  let staff: boolean;
  if (body.targetType === 'user') {
    const user = await mq.findUser(deps.db, body.targetId);
    if (!user) fail('USER_NOT_FOUND', `No user ${body.targetId}`);
    targetUserId = user.id;
    if (body.community) {
      const { community, access } = await loadCommunity(deps.db, body.community, viewer);
      const m = await mq.findMembership(deps.db, community.id, user.id);
      if (m?.status !== 'active') fail('USER_NOT_FOUND', `No member ${body.targetId} in "${body.community}"`);
      communityId = community.id;
      staff = access.isModerator;
    } else {
      communityId = null;
      staff = viewer.isAdmin;
    }
  } else {
    const { target, access } = await loadReadableTarget(deps.db, body.targetType, body.targetId, viewer);
    communityId = target.communityId;
    targetUserId = target.userId;
    staff = access?.isModerator ?? false;
  }
  if (targetUserId === viewer.userId) invalid('targetId', 'you cannot report yourself');
  if (communityId == null && body.ruleNumber != null) {
    invalid('ruleNumber', 'site reports do not cite community rules');
  }
  const cited =
    communityId == null
      ? { ruleNumber: null, guidelineVersion: null }
      : await citeRule(deps.db, communityId, body.ruleNumber);
  const level = communityId == null ? 0 : await levelOf(deps.db, communityId, viewer.userId);
  const record = await qq.reporterRecord(deps.db, viewer.userId);
  const weight = Math.max(0.1, flagWeight(level, staff, record.agreed, record.disagreed));
  const now = deps.clock.now();
  const { reportId, item } = await inTransaction(deps, (trx) =>
    addReport(
      trx,
      deps.events,
      {
        type: body.targetType,
        id: body.targetId,
        communityId,
        scopeId: communityId ?? 0,
        targetUserId,
        reporterId: viewer.userId,
        reason: body.reason,
        ruleNumber: cited.ruleNumber,
        guidelineVersion: cited.guidelineVersion,
        note: body.note?.trim() ?? '',
        weight,
      },
      now,
    ),
  );
  return { id: reportId, itemId: item.id, weight };
}
