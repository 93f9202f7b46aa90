import type { Viewer } from '../../platform/auth.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import * as aq from './actions.queries.ts';
import { logFollowUp, undo } from './actions.service.ts';
import { accessTo, assertAdmin, loadModeratedCommunity, type ModerationDeps } from './context.ts';
import * as mq from './moderation.queries.ts';

/** What a member can appeal: anything done to them or their content. */
const APPEALABLE = new Set(['remove', 'lock', 'warn', 'mute', 'ban', 'suspend']);

/** The member appeals an action against them, once; another moderator decides. */
export async function createAppeal(deps: ModerationDeps, viewer: Viewer, actionId: number, body: string) {
  const action = await aq.findAction(deps.db, actionId);
  if (!action || action.target_user_id !== viewer.userId || !APPEALABLE.has(action.kind)) {
    fail('ACTION_NOT_FOUND', `No action ${actionId} against you`);
  }
  if (action.revoked_at != null) fail('ALREADY_DECIDED', 'This action was already lifted');
  const now = deps.clock.now();
  const id = await inTransaction(deps, async (trx) => {
    const row = await aq.insertAppeal(trx, {
      actionId,
      communityId: action.community_id,
      userId: viewer.userId,
      body: body.trim(),
      now,
    });
    if (!row) fail('ALREADY_APPEALED', 'You already appealed this action');
    await deps.events.emit(trx, 'moderation.appeal_created', {
      appealId: row.id,
      actionId,
      communityId: action.community_id,
      userId: viewer.userId,
    });
    return row.id;
  });
  return { id, status: 'open' as const };
}

/** Appeals waiting in a community (moderators) or against site suspensions (slug null: site admins). */
export async function listAppeals(
  deps: ModerationDeps,
  viewer: Viewer,
  slug: string | null,
  query: { status?: 'open' | 'decided'; cursor?: string; limit: number },
) {
  let communityId: number | null = null;
  if (slug == null) assertAdmin(viewer);
  else communityId = (await loadModeratedCommunity(deps.db, slug, viewer)).community.id;
  const after = decodeCursor(query.cursor, ['id']);
  const rows = await aq.listAppeals(deps.db, {
    communityId,
    status: query.status ?? 'open',
    afterId: (after?.[0] as number) ?? null,
    limit: query.limit,
  });
  const { items, nextCursor } = page(rows, query.limit, (r) => [r.id]);
  const users = await mq.usersByIds(
    deps.db,
    items.flatMap((r) => [r.user_id, r.moderator_id ?? 0, r.decided_by ?? 0]),
  );
  const name = (id: number | null) => (id == null ? null : (users.get(id)?.username ?? null));
  return {
    items: items.map((r) => ({
      id: r.id,
      status: r.status,
      body: r.body,
      member: name(r.user_id),
      createdAt: iso(r.created_at),
      action: {
        id: r.action_id,
        kind: r.kind,
        reason: r.reason,
        moderator: name(r.moderator_id),
        targetType: r.target_type,
        targetId: r.target_id,
        createdAt: iso(r.action_at),
        expiresAt: isoOrNull(r.expires_at),
      },
      decidedBy: name(r.decided_by),
      decisionNote: r.decision_note,
      decidedAt: isoOrNull(r.decided_at),
      // The moderator who took the action cannot decide its appeal.
      canDecide: r.status === 'open' && r.moderator_id !== viewer.userId && r.user_id !== viewer.userId,
    })),
    nextCursor,
  };
}

/**
 * Another moderator decides: upholding keeps the action, overturning reverses it (lifts the
 * sanction, restores the content, unlocks the thread) and says so in the public log.
 */
export async function decideAppeal(
  deps: ModerationDeps,
  viewer: Viewer,
  appealId: number,
  body: { decision: 'uphold' | 'overturn'; note?: string },
) {
  const appeal = await aq.findAppeal(deps.db, appealId);
  const action = appeal && (await aq.findAction(deps.db, appeal.action_id));
  const access = action?.community_id != null ? await accessTo(deps.db, action.community_id, viewer) : null;
  const allowed = action && (action.community_id == null ? viewer.isAdmin : access?.isModerator);
  if (!appeal || !action || !allowed) fail('APPEAL_NOT_FOUND', `No appeal ${appealId}`);
  if (action.moderator_id === viewer.userId) {
    fail('FORBIDDEN', 'Another moderator must decide an appeal against your own action');
  }
  if (appeal.user_id === viewer.userId) fail('FORBIDDEN', 'You cannot decide your own appeal');
  const now = deps.clock.now();
  const status = body.decision === 'overturn' ? ('overturned' as const) : ('upheld' as const);
  const note = body.note?.trim() ?? '';
  await inTransaction(deps, async (trx) => {
    if (!(await aq.decideAppeal(trx, appealId, { status, by: viewer.userId, note, now }))) {
      fail('ALREADY_DECIDED', 'This appeal was already decided');
    }
    const fresh = (await aq.findAction(trx, action.id))!;
    if (status === 'overturned' && fresh.revoked_at == null) await undo(trx, deps, fresh, viewer.userId, now);
    await logFollowUp(trx, deps, fresh, `appeal_${status}`, viewer.userId, note, now);
    await deps.events.emit(trx, 'moderation.appeal_decided', {
      appealId,
      actionId: action.id,
      communityId: action.community_id,
      userId: appeal.user_id,
      decision: status,
    });
  });
  return { id: appealId, status };
}
