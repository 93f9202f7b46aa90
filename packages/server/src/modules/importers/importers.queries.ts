import { CompiledQuery, sql, type Transaction } from 'kysely';
import { dialectOf, jsonObjectAgg } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

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

// Columns of the bulk inserts, in the order of the value arrays given to insertRows.
export const COLUMNS = {
  users: [
    'id',
    'username',
    'email',
    'password_hash',
    'display_name',
    'bio',
    'avatar_url',
    'is_admin',
    'created_at',
    'updated_at',
  ],
  memberships: [
    'community_id',
    'user_id',
    'role',
    'status',
    'guidelines_accepted_at',
    'invited_by',
    'created_at',
    'joined_at',
  ],
  imported_accounts: [
    'user_id',
    'community_id',
    'site',
    'source_user_id',
    'source_account_id',
    'kind',
    'claimed_at',
  ],
  import_map: ['community_id', 'source', 'kind', 'source_id', 'target_id'],
  threads: [
    'id',
    'community_id',
    'author_id',
    'title',
    'body',
    'body_html',
    'excerpt',
    'score',
    'up_count',
    'down_count',
    'reaction_counts',
    'comment_count',
    'hot_rank',
    'pinned',
    'locked',
    'created_at',
    'edited_at',
  ],
  comments: [
    'id',
    'thread_id',
    'community_id',
    'parent_id',
    'author_id',
    'depth',
    'path',
    'body',
    'body_html',
    'score',
    'up_count',
    'down_count',
    'reaction_counts',
    'created_at',
    'edited_at',
  ],
  thread_tags: ['thread_id', 'tag_id', 'community_id'],
  content_attributions: [
    'target_type',
    'target_id',
    'community_id',
    'source_name',
    'source_url',
    'author_name',
    'author_url',
    'license',
  ],
  reactions: ['community_id', 'target_type', 'target_id', 'user_id', 'kind', 'created_at'],
} as const satisfies { [T in keyof DB]?: readonly (keyof DB[T] & string)[] };

export type BulkTable = keyof typeof COLUMNS;

const templates = new Map<string, string>();

/**
 * Multi-row INSERTs of `rows` (value arrays in COLUMNS order), `chunk` rows per statement. The
 * SQL text of each chunk size is built once by Kysely and then reused with new parameters, so a
 * row costs its parameters, not a query-builder tree (which was a quarter of the import's CPU),
 * and the database sees a few recurring statements (SQLite's statement cache, PostgreSQL's named
 * statements). Triggers fire as for any insert (search indexing among them).
 */
export async function insertRows(
  db: Q,
  table: BulkTable,
  rows: unknown[][],
  chunk = 100,
  /** Skip rows that would break this unique key (ON CONFLICT DO NOTHING). */
  unlessExists?: readonly string[],
): Promise<number> {
  const columns = COLUMNS[table];
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const key = `${dialectOf(db)} ${table} ${part.length} ${unlessExists ?? ''}`;
    let text = templates.get(key);
    if (!text) {
      const values = part.map(() => Object.fromEntries(columns.map((c) => [c, 0])));
      let insert = db.insertInto(table).values(values as never);
      if (unlessExists) insert = insert.onConflict((oc) => oc.columns(unlessExists as never).doNothing());
      text = insert.compile().sql;
      templates.set(key, text);
    }
    const res = await db.executeQuery(CompiledQuery.raw(text, part.flat()));
    inserted += Number(res.numAffectedRows ?? part.length);
  }
  return inserted;
}

/** Reactions cast by a community's imported "anonymous voter" accounts (its imported votes). */
export async function countImportedVotes(db: Q, communityId: number): Promise<number> {
  const row = await db
    .selectFrom('reactions')
    .innerJoin('imported_accounts', 'imported_accounts.user_id', 'reactions.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reactions.community_id', '=', communityId)
    .where('imported_accounts.kind', '=', 'voter')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

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

/** The import's community (public, open), owned by the site's ghost account. */
export async function insertCommunity(
  db: Q,
  c: { slug: string; name: string; description: string; ownerId: number; now: number },
): Promise<number> {
  const row = await db
    .insertInto('communities')
    .values({
      slug: c.slug,
      name: c.name,
      description: c.description,
      visibility: 'public',
      join_policy: 'open',
      guidelines: '',
      created_by: c.ownerId,
      member_count: 0,
      thread_count: 0,
      created_at: c.now,
      updated_at: c.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('memberships')
    .values({
      community_id: row.id,
      user_id: c.ownerId,
      role: 'owner',
      status: 'active',
      guidelines_accepted_at: c.now,
      invited_by: null,
      created_at: c.now,
      joined_at: c.now,
    })
    .execute();
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

export const existingTags = (db: Q, names: string[]) =>
  db
    .selectFrom('tags')
    .select('name')
    .where('name', 'in', names.length ? names : [''])
    .execute();

/**
 * Stored counters recomputed from the rows of a community, set-based (a statement per counter,
 * not one per row): comment counts and last comment dates of threads; score, up/down counts and
 * reaction counts of threads and comments. Only rows whose value changes are written, so a
 * re-run of a finished import writes nothing.
 */
export async function recountCounters(db: Q, communityId: number): Promise<void> {
  await sql`update threads set comment_count = s.n, last_comment_at = s.last
    from (select thread_id, count(*) as n, max(created_at) as last from comments
          where community_id = ${communityId} and deleted_at is null group by thread_id) as s
    where threads.id = s.thread_id
      and (threads.comment_count <> s.n or threads.last_comment_at is distinct from s.last)`.execute(db);
  await sql`update threads set comment_count = 0, last_comment_at = null
    where community_id = ${communityId} and (comment_count <> 0 or last_comment_at is not null)
      and not exists (select 1 from comments c where c.thread_id = threads.id and c.deleted_at is null)`.execute(
    db,
  );
  const agg = jsonObjectAgg(dialectOf(db));
  for (const [table, type] of [
    ['threads', 'thread'],
    ['comments', 'comment'],
  ] as const) {
    const t = sql.table(table);
    await sql`update ${t} set up_count = r.up, down_count = r.down, score = r.up - r.down, reaction_counts = r.counts
      from (select target_id, sum(case when kind = 'downvote' then 0 else n end) as up,
                   sum(case when kind = 'downvote' then n else 0 end) as down,
                   cast(${agg}(kind, n) as text) as counts
            from (select target_id, kind, count(*) as n from reactions
                  where community_id = ${communityId} and target_type = ${type} group by target_id, kind) as k
            group by target_id) as r
      where ${t}.id = r.target_id
        and (${t}.up_count <> r.up or ${t}.down_count <> r.down or ${t}.reaction_counts <> r.counts)`.execute(
      db,
    );
    await sql`update ${t} set up_count = 0, down_count = 0, score = 0, reaction_counts = '{}'
      where community_id = ${communityId} and (up_count <> 0 or down_count <> 0 or reaction_counts <> '{}')
        and not exists (select 1 from reactions r where r.target_type = ${type} and r.target_id = ${t}.id)`.execute(
      db,
    );
  }
}

/** Threads whose hot rank may be above 0 (created in the window) or still is. */
export const rankableThreads = (db: Q, communityId: number, since: number) =>
  db
    .selectFrom('threads')
    .select(['id', 'score', 'created_at', 'hot_rank'])
    .where('community_id', '=', communityId)
    .where((eb) => eb.or([eb('created_at', '>', since), eb('hot_rank', '<>', 0)]))
    .execute();

export const setHotRank = (db: Q, id: number, hotRank: number) =>
  db.updateTable('threads').set({ hot_rank: hotRank }).where('id', '=', id).execute();

export async function setCommunityCounts(db: Q, communityId: number, now: number): Promise<void> {
  const members = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const threads = await db
    .selectFrom('threads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('communities')
    .set({ member_count: Number(members.n), thread_count: Number(threads.n), updated_at: now })
    .where('id', '=', communityId)
    .execute();
}
