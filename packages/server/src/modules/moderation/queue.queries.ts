import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, ReportsTable, ReportTargetType } from '../../db/schema.ts';

/** Review items (one open item per reported or held target) and the reports behind them. */
type Q = Db | Transaction<DB>;

export const findItem = (db: Q, id: number) =>
  db.selectFrom('review_items').selectAll().where('id', '=', id).executeTakeFirst();
export type ItemRow = NonNullable<Awaited<ReturnType<typeof findItem>>>;

export const findOpenItem = (db: Q, type: ReportTargetType, id: number, scopeId: number) =>
  db
    .selectFrom('review_items')
    .selectAll()
    .where('target_type', '=', type)
    .where('target_id', '=', id)
    .where('scope_id', '=', scopeId)
    .where('status', '=', 'open')
    .executeTakeFirst();

/** Open items about a target in any queue (a moderator acting on it resolves them). */
export const openItemsFor = (db: Q, type: ReportTargetType, id: number) =>
  db
    .selectFrom('review_items')
    .selectAll()
    .where('target_type', '=', type)
    .where('target_id', '=', id)
    .where('status', '=', 'open')
    .execute();

/**
 * The open item for a target in a queue, created if there is none. Concurrent first reports
 * meet on the partial unique index (one open item per target and queue).
 */
export async function ensureOpenItem(
  db: Q,
  t: {
    type: ReportTargetType;
    id: number;
    communityId: number | null;
    scopeId: number;
    userId: number | null;
  },
  now: number,
): Promise<ItemRow> {
  await db
    .insertInto('review_items')
    .values({
      community_id: t.communityId,
      scope_id: t.scopeId,
      target_type: t.type,
      target_id: t.id,
      target_user_id: t.userId,
      status: 'open',
      held: 0,
      score: 0,
      report_count: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      // The conflict target must repeat the partial index's predicate literally (SQLite).
      oc
        .columns(['target_type', 'target_id', 'scope_id'])
        .where('status', '=', sql.lit('open'))
        .doNothing(),
    )
    .execute();
  return (await findOpenItem(db, t.type, t.id, t.scopeId))!;
}

export const insertReport = (db: Q, r: Omit<ReportsTable, 'id'>) =>
  db.insertInto('reports').values(r).returning('id').executeTakeFirstOrThrow();

export const findReportBy = (db: Q, itemId: number, reporterId: number) =>
  db
    .selectFrom('reports')
    .select('id')
    .where('item_id', '=', itemId)
    .where('reporter_id', '=', reporterId)
    .executeTakeFirst();

/** One page of a queue, highest score first (ties: oldest first). */
export function listQueue(db: Q, a: { scopeId: number; after: [number, number] | null; limit: number }) {
  let q = db
    .selectFrom('review_items')
    .selectAll()
    .where('scope_id', '=', a.scopeId)
    .where('status', '=', 'open');
  if (a.after) {
    const [score, id] = a.after;
    q = q.where((eb) =>
      eb.or([eb('score', '<', score), eb.and([eb('score', '=', score), eb('id', '>', id)])]),
    );
  }
  return q
    .orderBy('score', 'desc')
    .orderBy('id', 'asc')
    .limit(a.limit + 1)
    .execute();
}

export const reportsOfItems = (db: Q, itemIds: number[]) =>
  itemIds.length
    ? db
        .selectFrom('reports')
        .selectAll()
        .where('item_id', 'in', itemIds)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    : Promise.resolve([]);

export async function resolveItem(
  db: Q,
  id: number,
  by: number,
  resolution: string,
  agreed: boolean,
  now: number,
) {
  await db
    .updateTable('review_items')
    .set({ status: 'resolved', resolved_at: now, resolved_by: by, resolution, updated_at: now })
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('reports')
    .set({ status: agreed ? 'agreed' : 'disagreed' })
    .where('item_id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

/** A member's decided reports: the accuracy part of their flag weight. */
export async function reporterRecord(db: Q, userId: number) {
  const rows = await db
    .selectFrom('reports')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('reporter_id', '=', userId)
    .where('status', 'in', ['agreed', 'disagreed'])
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { agreed: n('agreed'), disagreed: n('disagreed') };
}

/** Escalation: the reports of an item move to another (the site queue's item for the same target). */
export const moveReports = (db: Q, fromItem: number, toItem: number) =>
  db.updateTable('reports').set({ item_id: toItem }).where('item_id', '=', fromItem).execute();

/** Adds reports' weight to an item (and marks it held when the content waits for approval). */
export const addToItem = (
  db: Q,
  id: number,
  a: { score: number; count: number; held?: boolean; now: number },
) =>
  db
    .updateTable('review_items')
    .set((eb) => ({
      score: eb('score', '+', a.score),
      report_count: eb('report_count', '+', a.count),
      updated_at: a.now,
      ...(a.held && { held: 1 }),
    }))
    .where('id', '=', id)
    .execute();
