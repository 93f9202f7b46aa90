import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { hotRank } from '../content/content.ranking.ts';
import * as q from './importers.queries.ts';
import { type Ctx, importComments, importPosts, importTags, importUsers, importVotes } from './se.passes.ts';
import { ImportFileError, need, needDate, needInt, readRows, type XmlRow } from './se.xml.ts';

export const SOURCE = 'stackexchange';

/** The files of a dump, their root elements, and whether the import needs them. */
export const FILES = [
  { name: 'Users.xml', root: 'users', required: true },
  { name: 'Tags.xml', root: 'tags', required: false },
  { name: 'Posts.xml', root: 'posts', required: true },
  { name: 'Comments.xml', root: 'comments', required: true },
  { name: 'Votes.xml', root: 'votes', required: true },
  { name: 'Badges.xml', root: 'badges', required: false },
] as const;

export interface ImportOptions {
  dir: string;
  /** Target community (created if missing); default: the dump folder's name. */
  communitySlug?: string;
  /** Site the dump comes from, for attribution links; default: read from SOURCE.txt, or required. */
  siteUrl?: string;
  batchSize?: number;
  progress?: (p: Progress) => void;
}

export interface Progress {
  phase: 'checking' | 'importing';
  file: string;
  bytesDone: number;
  bytesTotal: number;
  items: number;
}

export interface ImportSummary {
  community: { id: number; slug: string };
  site: string;
  /** Created by this run (0 everywhere on a re-run of a finished import). */
  created: { users: number; threads: number; comments: number; reactions: number; tags: number };
  /** Totals now imported into the community from this dump (all runs). */
  totals: { users: number; threads: number; answers: number; comments: number; reactions: number };
  skipped: Record<string, number>;
  badgesRead: number;
  seconds: number;
}

/** A problem with the dump folder itself (missing files, unknown site): reported without a stack. */
export class ImportSetupError extends Error {
  override name = 'ImportSetupError';
}

export function detectSite(dir: string): string | null {
  try {
    const text = fs.readFileSync(path.join(dir, 'SOURCE.txt'), 'utf8');
    const m = text.match(
      /\b([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:stackexchange|stackoverflow|superuser|serverfault|askubuntu|mathoverflow)\.(?:com|net))\b/i,
    );
    return m ? `https://${m[1]!.toLowerCase()}` : null;
  } catch {
    return null;
  }
}

/**
 * Imports a Stack Exchange dump into one community. Resumable: every written
 * row is recorded in import_map in the same batch transaction, and a re-run
 * skips recorded source ids. Malformed files are found by a full parse of every
 * file before anything is written, so a bad dump writes nothing; a crash
 * mid-import leaves only whole batches, and the next run continues. Counters
 * (comment counts, scores, member counts) are recomputed from the rows at the end.
 */
export async function importStackExchange(
  deps: { db: Db; clock: Clock },
  opts: ImportOptions,
): Promise<ImportSummary> {
  const started = Date.now();
  const dir = path.resolve(opts.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new ImportSetupError(`${opts.dir} is not a directory`);
  const files = FILES.filter((f) => fs.existsSync(path.join(dir, f.name)));
  const missing = FILES.filter((f) => f.required && !files.includes(f));
  if (missing.length)
    throw new ImportSetupError(
      `${opts.dir} lacks ${missing.map((f) => f.name).join(', ')} (a Stack Exchange dump has them)`,
    );
  const site = (opts.siteUrl ?? detectSite(dir))?.replace(/\/+$/, '');
  if (!site)
    throw new ImportSetupError('cannot tell which site the dump is from: pass --site https://<site>');
  if (!/^https?:\/\/[^\s/]+$/.test(site))
    throw new ImportSetupError(`--site must be like https://bicycles.stackexchange.com, got ${site}`);
  const slug = opts.communitySlug ?? slugFrom(path.basename(dir));

  const sizes = new Map(files.map((f) => [f.name, fs.statSync(path.join(dir, f.name)).size]));
  const bytesTotal = [...sizes.values()].reduce((a, b) => a + b, 0);
  let bytesDone = 0;
  let items = 0;
  const tick = (phase: Progress['phase'], file: string) => (n: number) => {
    bytesDone += n;
    opts.progress?.({ phase, file, bytesDone, bytesTotal, items });
  };

  // 1. Check every file completely before writing anything.
  let badgesRead = 0;
  for (const f of files) {
    for await (const rows of readRows(path.join(dir, f.name), f.root, 2000, tick('checking', f.name))) {
      items += rows.length;
      for (const r of rows) checkRow(f.name, r);
      if (f.name === 'Badges.xml') badgesRead += rows.length;
    }
  }

  // 2. Write, file by file, in batch transactions.
  bytesDone = 0;
  items = 0;
  const ctx: Ctx = await setUp(deps, site, slug, dir, opts.batchSize ?? 500);
  const onRows = (n: number) => {
    items += n;
  };
  const read = (name: string, root: string) =>
    readRows(path.join(dir, name), root, ctx.batchSize, tick('importing', name));
  await importUsers(ctx, read('Users.xml', 'users'), onRows);
  if (files.some((f) => f.name === 'Tags.xml')) await importTags(ctx, read('Tags.xml', 'tags'), onRows);
  // Two passes over Posts.xml: every question exists before the first answer needs its thread.
  await importPosts(ctx, read('Posts.xml', 'posts'), 'question', onRows);
  await importPosts(ctx, readRows(path.join(dir, 'Posts.xml'), 'posts', ctx.batchSize), 'answer', () => {});
  await importComments(ctx, read('Comments.xml', 'comments'), onRows);
  await importVotes(ctx, read('Votes.xml', 'votes'), onRows);
  if (files.some((f) => f.name === 'Badges.xml'))
    for await (const rows of read('Badges.xml', 'badges')) onRows(rows.length);

  await recount(deps, ctx.communityId);
  return {
    community: { id: ctx.communityId, slug },
    site,
    created: ctx.created,
    totals: {
      users: ctx.users.size,
      threads: ctx.questions.size,
      answers: ctx.answers.size,
      comments: ctx.comments.size,
      reactions: (await q.loadMap(deps.db, ctx.communityId, SOURCE, 'vote')).size,
    },
    skipped: ctx.skipped,
    badgesRead,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The attributes the import needs, checked before anything is written. */
const REQUIRED: Record<string, { ints: string[]; dates: string[]; strings?: string[] }> = {
  'Users.xml': { ints: ['Id'], dates: ['CreationDate'] },
  'Posts.xml': { ints: ['Id', 'PostTypeId'], dates: ['CreationDate'] },
  'Comments.xml': { ints: ['Id', 'PostId'], dates: ['CreationDate'] },
  'Votes.xml': { ints: ['Id', 'PostId', 'VoteTypeId'], dates: ['CreationDate'] },
  'Tags.xml': { ints: ['Id'], dates: [], strings: ['TagName'] },
  'Badges.xml': { ints: ['Id'], dates: [] },
};

function checkRow(file: string, row: XmlRow) {
  const r = REQUIRED[file]!;
  for (const a of r.ints) needInt(file, row, a);
  for (const a of r.dates) needDate(file, row, a);
  for (const a of r.strings ?? []) need(file, row, a);
  if (file === 'Posts.xml' && row.attrs.PostTypeId === '2') needInt(file, row, 'ParentId');
}

export function slugFrom(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return s.length >= 3 ? s : `se-${s || 'import'}`;
}

/** The ghost author (deleted SE users), the community, and what earlier runs imported. */
async function setUp(
  deps: { db: Db; clock: Clock },
  site: string,
  slug: string,
  dir: string,
  batchSize: number,
): Promise<Ctx> {
  const now = deps.clock.now();
  const host = new URL(site).hostname;
  const { communityId, ghostId } = await deps.db.transaction().execute(async (trx) => {
    let ghostId = (await q.findGhost(trx, site))?.user_id;
    let community = await q.findCommunity(trx, slug);
    if (!ghostId) {
      const label = host
        .replace(/\.(stackexchange|com|net)/g, '')
        .replace(/[^a-z0-9]+/g, '_')
        .slice(0, 16);
      ghostId = await q.insertUser(trx, {
        username: `se_${label}_${now.toString(36).slice(-6)}`,
        email: `ghost.${now.toString(36)}@${host}.invalid`,
        displayName: `${host} (imported)`,
        createdAt: now,
      });
    }
    if (!community) {
      const row = await trx
        .insertInto('communities')
        .values({
          slug,
          name: `${host} (archive)`.slice(0, 100),
          description: `Imported from the Stack Exchange data dump of ${site} (${path.basename(dir)}). Content is licensed CC BY-SA; every post links to its original and names its author.`,
          visibility: 'public',
          join_policy: 'open',
          guidelines: '',
          created_by: ghostId,
          member_count: 0,
          thread_count: 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      community = { id: row.id, slug, name: host };
      await trx
        .insertInto('memberships')
        .values({
          community_id: row.id,
          user_id: ghostId,
          role: 'owner',
          status: 'active',
          guidelines_accepted_at: now,
          invited_by: null,
          created_at: now,
          joined_at: now,
        })
        .execute();
    }
    if (!(await q.findGhost(trx, site)))
      await q.insertImportedAccounts(trx, [
        {
          user_id: ghostId,
          community_id: community.id,
          site,
          source_user_id: null,
          source_account_id: null,
          kind: 'ghost',
          claimed_at: null,
        },
      ]);
    return { communityId: community.id, ghostId };
  });
  const load = (kind: string) => q.loadMap(deps.db, communityId, SOURCE, kind);
  return {
    db: deps.db,
    now,
    site,
    communityId,
    ghostId,
    batchSize,
    users: await load('user'),
    userNames: new Map(),
    questions: await load('question'),
    answers: await load('answer'),
    answerThread: await q.answerThreads(deps.db, communityId),
    comments: await load('comment'),
    votes: await load('vote'),
    voters: (await q.listVoters(deps.db, communityId)).map((v) => v.user_id),
    created: { users: 0, threads: 0, comments: 0, reactions: 0, tags: 0 },
    skipped: {},
  };
}

/** Stored counters recomputed from the rows, in one transaction (idempotent). */
async function recount(deps: { db: Db; clock: Clock }, communityId: number) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const type of ['thread', 'comment'] as const) {
      const table = type === 'thread' ? 'threads' : 'comments';
      const counts = new Map<number, Record<string, number>>();
      for (const r of await q.reactionCounts(trx, communityId, type)) {
        const c = counts.get(r.target_id) ?? {};
        c[r.kind] = Number(r.n);
        counts.set(r.target_id, c);
      }
      const stats =
        type === 'thread'
          ? new Map((await q.commentStats(trx, communityId)).map((s) => [s.thread_id, s]))
          : null;
      for (const row of await q.communityIds(trx, communityId, table)) {
        const c = counts.get(row.id) ?? {};
        const down = c.downvote ?? 0;
        const up = Object.values(c).reduce((a, b) => a + b, 0) - down;
        const set = { score: up - down, up_count: up, down_count: down, reaction_counts: JSON.stringify(c) };
        if (stats) {
          const s = stats.get(row.id);
          await trx
            .updateTable('threads')
            .set({
              ...set,
              hot_rank: hotRank(up - down, row.created_at, now),
              comment_count: Number(s?.n ?? 0),
              last_comment_at: s?.last == null ? null : Number(s.last),
            })
            .where('id', '=', row.id)
            .execute();
        } else await trx.updateTable('comments').set(set).where('id', '=', row.id).execute();
      }
    }
    const count = async (table: 'memberships' | 'threads') => {
      let sel = trx
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('community_id', '=', communityId);
      sel =
        table === 'memberships'
          ? sel.where('status', '=', 'active')
          : sel.where('deleted_at' as any, 'is', null);
      return Number((await sel.executeTakeFirstOrThrow()).n);
    };
    await trx
      .updateTable('communities')
      .set({
        member_count: await count('memberships'),
        thread_count: await count('threads'),
        updated_at: now,
      })
      .where('id', '=', communityId)
      .execute();
  });
}

export { ImportFileError };
