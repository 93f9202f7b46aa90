import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, ModActionsTable } from '../../db/schema.ts';

/** Moderator actions (also the sanctions and the public log) and appeals against them. */
type Q = Db | Transaction<DB>;

export const insertAction = (db: Q, a: Omit<ModActionsTable, 'id' | 'revoked_at' | 'revoked_by'>) =>
  db
    .insertInto('mod_actions')
    .values({ ...a, revoked_at: null, revoked_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();

export const findAction = (db: Q, id: number) =>
  db.selectFrom('mod_actions').selectAll().where('id', '=', id).executeTakeFirst();
export type ActionRow = NonNullable<Awaited<ReturnType<typeof findAction>>>;

export const revokeAction = (db: Q, id: number, by: number, now: number) =>
  db.updateTable('mod_actions').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).execute();

export const SANCTIONS = ['mute', 'ban', 'suspend'] as const;

/**
 * The sanction in force for a member in a community, if any: a mute or ban there, or a
 * site-wide suspension. The one ending last wins (a permanent one first).
 */
export async function activeSanction(db: Q, communityId: number | null, userId: number, now: number) {
  const rows = await db
    .selectFrom('mod_actions')
    .select(['id', 'kind', 'community_id', 'expires_at', 'reason'])
    .where('target_user_id', '=', userId)
    .where('kind', 'in', [...SANCTIONS])
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where((eb) =>
      communityId == null
        ? eb('kind', '=', 'suspend')
        : eb.or([eb('community_id', '=', communityId), eb('kind', '=', 'suspend')]),
    )
    .execute();
  rows.sort(
    (a, b) => (b.expires_at ?? Number.POSITIVE_INFINITY) - (a.expires_at ?? Number.POSITIVE_INFINITY),
  );
  return rows[0];
}

/** Steps of the escalation ladder a member has already gone through in a community. */
export async function ladderSteps(db: Q, communityId: number, userId: number, since: number) {
  const row = await db
    .selectFrom('mod_actions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('target_user_id', '=', userId)
    .where('kind', 'in', ['warn', 'mute', 'ban'])
    .where('revoked_at', 'is', null)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A member's history in a community (newest first), for the moderator's review screen. */
export const historyOf = (db: Q, communityId: number | null, userId: number, limit: number) => {
  let q = db.selectFrom('mod_actions').selectAll().where('target_user_id', '=', userId);
  q = communityId == null ? q.where('community_id', 'is', null) : q.where('community_id', '=', communityId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

/** The public moderation log of a community, newest first. */
export function listLog(db: Q, communityId: number, afterId: number | null, limit: number) {
  let q = db
    .selectFrom('mod_actions')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('public', '=', 1);
  if (afterId != null) q = q.where('id', '<', afterId);
  return q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

/** Actions taken against one member anywhere (their own view: removals with reasons, sanctions). */
export function actionsAgainst(db: Q, userId: number, afterId: number | null, limit: number) {
  let q = db
    .selectFrom('mod_actions')
    .leftJoin('appeals', 'appeals.action_id', 'mod_actions.id')
    .selectAll('mod_actions')
    .select(['appeals.id as appeal_id', 'appeals.status as appeal_status'])
    .where('mod_actions.target_user_id', '=', userId)
    .where('mod_actions.kind', 'in', ['remove', 'warn', 'mute', 'ban', 'suspend', 'lock']);
  if (afterId != null) q = q.where('mod_actions.id', '<', afterId);
  return q
    .orderBy('mod_actions.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export const insertAppeal = (
  db: Q,
  a: { actionId: number; communityId: number | null; userId: number; body: string; now: number },
) =>
  db
    .insertInto('appeals')
    .values({
      action_id: a.actionId,
      community_id: a.communityId,
      user_id: a.userId,
      body: a.body,
      status: 'open',
      decision_note: '',
      created_at: a.now,
    })
    .onConflict((oc) => oc.column('action_id').doNothing())
    .returning('id')
    .executeTakeFirst();

export const findAppeal = (db: Q, id: number) =>
  db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();

export function listAppeals(
  db: Q,
  a: { communityId: number | null; status: 'open' | 'decided'; afterId: number | null; limit: number },
) {
  let q = db
    .selectFrom('appeals')
    .innerJoin('mod_actions', 'mod_actions.id', 'appeals.action_id')
    .selectAll('appeals')
    .select([
      'mod_actions.kind',
      'mod_actions.moderator_id',
      'mod_actions.reason',
      'mod_actions.target_type',
      'mod_actions.target_id',
      'mod_actions.created_at as action_at',
      'mod_actions.expires_at',
    ]);
  q =
    a.communityId == null
      ? q.where('appeals.community_id', 'is', null)
      : q.where('appeals.community_id', '=', a.communityId);
  q = a.status === 'open' ? q.where('appeals.status', '=', 'open') : q.where('appeals.status', '!=', 'open');
  if (a.afterId != null) q = q.where('appeals.id', '>', a.afterId);
  return q
    .orderBy('appeals.id', 'asc')
    .limit(a.limit + 1)
    .execute();
}

/** Records the decision unless another moderator decided first (returns false then). */
export async function decideAppeal(
  db: Q,
  id: number,
  d: { status: 'upheld' | 'overturned'; by: number; note: string; now: number },
) {
  const r = await db
    .updateTable('appeals')
    .set({ status: d.status, decided_by: d.by, decision_note: d.note, decided_at: d.now })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
