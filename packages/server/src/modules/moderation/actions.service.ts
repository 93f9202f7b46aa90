import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, ReportTargetType } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import type { CommunityAccess } from '../../platform/permissions.ts';
import * as aq from './actions.queries.ts';
import * as ops from './content.ops.ts';
import {
  accessTo,
  assertAdmin,
  findTarget,
  loadModeratedCommunity,
  type ModerationDeps,
  type Target,
} from './context.ts';
import { citeRule } from './guidelines.service.ts';
import * as mq from './moderation.queries.ts';
import * as qq from './queue.queries.ts';

/** One call each: what a moderator can do about a review item or a target. */
export const ACTIONS = ['approve', 'remove', 'lock', 'warn', 'mute', 'ban', 'suspend', 'escalate'] as const;
export type ActionKind = (typeof ACTIONS)[number];

/** Public in the community's moderation log; warnings stay between the moderator and the member. */
const PUBLIC = new Set(['remove', 'lock', 'mute', 'ban', 'revoke', 'unlock', 'appeal_overturned']);

/** The escalation ladder: warn → 24 h mute → 72 h → 7 days → ban. */
export const LADDER = [
  { action: 'warn', durationHours: null },
  { action: 'mute', durationHours: 24 },
  { action: 'mute', durationHours: 72 },
  { action: 'mute', durationHours: 168 },
  { action: 'ban', durationHours: null },
] as const;
/** Sanctions older than this no longer count towards the next step. */
const LADDER_MEMORY = 365 * DAY;

/** The next step for a member, from their warnings, mutes and bans in the community (revoked ones excluded). */
export async function suggestNext(
  db: Db | Transaction<DB>,
  communityId: number,
  userId: number,
  now: number,
) {
  const steps = await aq.ladderSteps(db, communityId, userId, now - LADDER_MEMORY);
  return { ...LADDER[Math.min(steps, LADDER.length - 1)]!, priorSteps: steps };
}

export interface ActBody {
  action: ActionKind;
  /** Shown to the member (and, for public actions, in the moderation log). */
  reason?: string;
  ruleNumber?: number;
  /** Mutes, bans and suspensions; none for a ban or suspension means permanent. */
  durationHours?: number | null;
}

interface Ctx {
  communityId: number | null;
  target: Target;
  item: qq.ItemRow | null;
  access: CommunityAccess | null;
}

/** Acts on a queue item: it is resolved, its reports agreed with (or dismissed, for approve). */
export async function actOnItem(deps: ModerationDeps, viewer: Viewer, itemId: number, body: ActBody) {
  const item = await qq.findItem(deps.db, itemId);
  const access = item && item.scope_id !== 0 ? await accessTo(deps.db, item.scope_id, viewer) : null;
  const allowed = item && (item.scope_id === 0 ? viewer.isAdmin : access?.isModerator);
  if (!item || !allowed) fail('ITEM_NOT_FOUND', `No review item ${itemId}`);
  if (item.status !== 'open') fail('ALREADY_DECIDED', 'Another moderator already handled this item');
  const target = await findTarget(deps.db, item.target_type, item.target_id);
  if (!target) fail('ITEM_NOT_FOUND', `The ${item.target_type} of item ${itemId} no longer exists`);
  return perform(deps, viewer, { communityId: item.community_id, target, item, access }, body);
}

/** Acts on a thread, comment or member directly (from the thread page); open items about it are resolved. */
export async function actOnTarget(
  deps: ModerationDeps,
  viewer: Viewer,
  slug: string,
  body: ActBody & { targetType: Exclude<ReportTargetType, 'message'>; targetId: number },
) {
  const { community, access } = await loadModeratedCommunity(deps.db, slug, viewer);
  const target = await findTarget(deps.db, body.targetType, body.targetId);
  if (!target || (target.communityId != null && target.communityId !== community.id)) {
    fail('NOT_FOUND', `No ${body.targetType} ${body.targetId} in "${slug}"`);
  }
  const items = await qq.openItemsFor(deps.db, target.type, target.id);
  const item = items.find((i) => i.scope_id === community.id) ?? null;
  return perform(deps, viewer, { communityId: community.id, target, item, access }, body);
}

async function assertMaySanction(db: Db, viewer: Viewer, ctx: Ctx, userId: number) {
  if (userId === viewer.userId) fail('FORBIDDEN', 'You cannot sanction yourself');
  const user = await mq.findUser(db, userId);
  if (user?.is_admin && !viewer.isAdmin)
    fail('FORBIDDEN', 'Site administrators can only be sanctioned by one');
  if (ctx.communityId != null) {
    const m = await mq.findMembership(db, ctx.communityId, userId);
    const staff = m?.status === 'active' && (m.role === 'moderator' || m.role === 'owner');
    if (staff && !ctx.access?.isOwner) fail('FORBIDDEN', 'Only owners can sanction moderators');
  }
}

async function perform(deps: ModerationDeps, viewer: Viewer, ctx: Ctx, body: ActBody) {
  const { target } = ctx;
  const kind = body.action;
  const now = deps.clock.now();
  const reason = body.reason?.trim() ?? '';
  const onContent = target.type === 'thread' || target.type === 'comment';
  if (kind === 'suspend') assertAdmin(viewer);
  if ((kind === 'mute' || kind === 'ban') && ctx.communityId == null) {
    invalid('action', 'mutes and bans apply in a community; use suspend for the whole site');
  }
  if ((kind === 'remove' || kind === 'lock') && !onContent)
    invalid('action', `${kind} applies to threads and comments`);
  if (kind === 'remove' && target.deleted) fail('CONTENT_DELETED', `This ${target.type} was already removed`);
  if (kind === 'escalate' && !ctx.item) invalid('action', 'only review items can be escalated');
  if (kind === 'escalate' && ctx.item?.scope_id === 0)
    invalid('action', 'this item is already in the site queue');
  const sanction = kind === 'warn' || kind === 'mute' || kind === 'ban' || kind === 'suspend';
  if (sanction) await assertMaySanction(deps.db, viewer, ctx, target.userId);
  if ((kind === 'remove' || sanction) && !reason) invalid('reason', 'tell the member why');
  const cited =
    ctx.communityId == null
      ? { ruleNumber: null, guidelineVersion: null }
      : await citeRule(deps.db, ctx.communityId, body.ruleNumber);
  let hours = body.durationHours ?? null;
  if (kind === 'mute' && hours == null) {
    const next = await suggestNext(deps.db, ctx.communityId!, target.userId, now);
    hours = next.action === 'mute' ? next.durationHours : 24;
  }

  const taken = await inTransaction(deps, async (trx) => {
    const rows: number[] = [];
    const log = async (k: string, extra: { expiresAt?: number | null; userOnly?: boolean } = {}) => {
      const row = await aq.insertAction(trx, {
        community_id: kind === 'suspend' ? null : ctx.communityId,
        kind: k,
        moderator_id: viewer.userId,
        target_type: extra.userOnly ? 'user' : target.type,
        target_id: extra.userOnly ? target.userId : target.id,
        target_user_id: target.userId,
        item_id: ctx.item?.id ?? null,
        reason,
        rule_number: cited.ruleNumber,
        guideline_version: cited.guidelineVersion,
        public: PUBLIC.has(k) && ctx.communityId != null && kind !== 'suspend' ? 1 : 0,
        created_at: now,
        expires_at: extra.expiresAt ?? null,
      });
      rows.push(row.id);
      await deps.events.emit(trx, 'moderation.action_taken', {
        actionId: row.id,
        communityId: ctx.communityId,
        kind: k,
        moderatorId: viewer.userId,
        targetUserId: target.userId,
        targetType: extra.userOnly ? 'user' : target.type,
        targetId: extra.userOnly ? target.userId : target.id,
        reason,
        expiresAt: extra.expiresAt ?? null,
      });
    };
    if (kind === 'approve') {
      if (target.pending && !target.deleted) await ops.publish(trx, deps.events, target, now);
      await log('approve');
    } else if (kind === 'escalate') {
      const site = await qq.ensureOpenItem(
        trx,
        { type: target.type, id: target.id, communityId: ctx.communityId, scopeId: 0, userId: target.userId },
        now,
      );
      await qq.moveReports(trx, ctx.item!.id, site.id);
      await qq.addToItem(trx, site.id, {
        score: ctx.item!.score,
        count: ctx.item!.report_count,
        held: ctx.item!.held === 1,
        now,
      });
      await log('escalate');
    } else {
      // Held content a moderator does not approve is rejected: removed with the same reason.
      if (kind === 'remove' || (onContent && target.pending && !target.deleted)) {
        await ops.remove(trx, deps.events, target, viewer.userId, now);
        await log('remove');
      }
      if (kind === 'lock') {
        await ops.setLocked(trx, deps.events, target, true, viewer.userId);
        await log('lock');
      }
      if (sanction) {
        const expiresAt = kind === 'warn' ? now : hours == null ? null : now + hours * HOUR;
        await log(kind, { expiresAt, userOnly: true });
      }
    }
    if (ctx.item) {
      const resolution = kind === 'escalate' ? 'escalated' : kind;
      await qq.resolveItem(trx, ctx.item.id, viewer.userId, resolution, kind !== 'approve', now);
    }
    return rows;
  });
  return { actionIds: taken, itemId: ctx.item?.id ?? null, resolution: kind };
}

/** Lifts a sanction early or unlocks a thread (any moderator of the community). */
export async function revoke(deps: ModerationDeps, viewer: Viewer, actionId: number, note: string) {
  const action = await aq.findAction(deps.db, actionId);
  const access = action?.community_id != null ? await accessTo(deps.db, action.community_id, viewer) : null;
  const allowed = action && (action.community_id == null ? viewer.isAdmin : access?.isModerator);
  if (!action || !allowed) fail('ACTION_NOT_FOUND', `No action ${actionId}`);
  if (!['mute', 'ban', 'suspend', 'lock'].includes(action.kind))
    invalid('action', `a ${action.kind} cannot be revoked`);
  if (action.revoked_at != null) fail('ALREADY_DECIDED', 'This action was already revoked');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await undo(trx, deps, action, viewer.userId, now);
    await logFollowUp(
      trx,
      deps,
      action,
      action.kind === 'lock' ? 'unlock' : 'revoke',
      viewer.userId,
      note,
      now,
    );
  });
  return { ok: true };
}

/** Reverses an action: lifts a sanction, restores removed content, unlocks a thread. */
export async function undo(
  trx: Transaction<DB>,
  deps: ModerationDeps,
  action: aq.ActionRow,
  by: number,
  now: number,
) {
  await aq.revokeAction(trx, action.id, by, now);
  if (action.kind !== 'remove' && action.kind !== 'lock') return;
  const target = await findTarget(trx, action.target_type!, action.target_id!);
  if (!target) return;
  if (action.kind === 'remove' && target.deleted) await ops.restore(trx, deps.events, target, now);
  if (action.kind === 'lock') await ops.setLocked(trx, deps.events, target, false, by);
}

/** A log entry that follows up on an earlier action (revoke, restore, appeal decisions). */
export async function logFollowUp(
  trx: Transaction<DB>,
  deps: ModerationDeps,
  of: aq.ActionRow,
  kind: string,
  by: number,
  reason: string,
  now: number,
) {
  const row = await aq.insertAction(trx, {
    community_id: of.community_id,
    kind,
    moderator_id: by,
    target_type: of.target_type,
    target_id: of.target_id,
    target_user_id: of.target_user_id,
    item_id: of.item_id,
    reason,
    rule_number: of.rule_number,
    guideline_version: of.guideline_version,
    public: PUBLIC.has(kind) && of.community_id != null ? 1 : 0,
    created_at: now,
    expires_at: null,
  });
  await deps.events.emit(trx, 'moderation.action_taken', {
    actionId: row.id,
    communityId: of.community_id,
    kind,
    moderatorId: by,
    targetUserId: of.target_user_id,
    targetType: of.target_type,
    targetId: of.target_id,
    reason,
    expiresAt: null,
  });
  return row.id;
}
