import type { Insertable, Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { ContentAttributionsTable, DB, ImportedAccountsTable } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

/** source_id → target_id of one kind already imported into a community. */
export async function loadMap(db: Q, communityId: number, source: string, kind: string) {
  const rows = await db
    .selectFrom('import_map')
    .select(['source_id', 'target_id'])
    .where('community_id', '=', communityId)
    .where('source', '=', source)
    .where('kind', '=', kind)
    .execute();
  return new Map(rows.map((r) => [Number(r.source_id), r.target_id]));
}

export async function insertMap(
  db: Q,
  communityId: number,
  source: string,
  kind: string,
  pairs: [number, number][],
) {
  for (let i = 0; i < pairs.length; i += 500) {
    await db
      .insertInto('import_map')
      .values(
        pairs.slice(i, i + 500).map(([s, t]) => ({
          community_id: communityId,
          source,
          kind,
          source_id: String(s),
          target_id: t,
        })),
      )
      .execute();
  }
}

export async function insertMany<T extends keyof DB>(
  db: Q,
  table: T,
  rows: Insertable<DB[T]>[],
  chunk = 300,
) {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as any)
      .execute();
  }
}

export const insertAttributions = (db: Q, rows: ContentAttributionsTable[]) =>
  insertMany(db, 'content_attributions', rows, 200);

export const insertImportedAccounts = (db: Q, rows: ImportedAccountsTable[]) =>
  insertMany(db, 'imported_accounts', rows);

export async function insertUser(
  db: Q,
  u: { username: string; email: string; displayName: string; createdAt: number },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: u.username,
      email: u.email,
      password_hash: null,
      display_name: u.displayName,
      bio: '',
      avatar_url: null,
      is_admin: 0,
      created_at: u.createdAt,
      updated_at: u.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const findGhost = (db: Q, site: string) =>
  db
    .selectFrom('imported_accounts')
    .select('user_id')
    .where('site', '=', site)
    .where('kind', '=', 'ghost')
    .executeTakeFirst();

export const findCommunity = (db: Q, slug: string) =>
  db.selectFrom('communities').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();

export const listVoters = (db: Q, communityId: number) =>
  db
    .selectFrom('imported_accounts')
    .select('user_id')
    .where('community_id', '=', communityId)
    .where('kind', '=', 'voter')
    .orderBy('source_user_id')
    .execute();

/** Thread of each imported answer (answers are top-level comments), for replies and votes. */
export async function answerThreads(db: Q, communityId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('import_map')
    .innerJoin('comments', 'comments.id', 'import_map.target_id')
    .select(['comments.id', 'comments.thread_id'])
    .where('import_map.community_id', '=', communityId)
    .where('import_map.source', '=', 'stackexchange')
    .where('import_map.kind', '=', 'answer')
    .execute();
  return new Map(rows.map((r) => [r.id, r.thread_id]));
}

/** Counts of the reactions on a community's threads or comments, per target and kind. */
export const reactionCounts = (db: Q, communityId: number, type: 'thread' | 'comment') =>
  db
    .selectFrom('reactions')
    .select(['target_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('community_id', '=', communityId)
    .where('target_type', '=', type)
    .groupBy(['target_id', 'kind'])
    .execute();

export const commentStats = (db: Q, communityId: number) =>
  db
    .selectFrom('comments')
    .select([
      'thread_id',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.max('created_at').as('last'),
    ])
    .where('community_id', '=', communityId)
    .where('deleted_at', 'is', null)
    .groupBy('thread_id')
    .execute();

export const communityIds = (db: Q, communityId: number, table: 'threads' | 'comments') =>
  db.selectFrom(table).select(['id', 'created_at']).where('community_id', '=', communityId).execute();
