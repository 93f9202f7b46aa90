import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { HOT_WINDOW_MS, hotRank } from '../content/content.ranking.ts';
import * as q from './importers.queries.ts';
import { type Ctx, importTags, importUsers, importVotes, READ } from './se.passes.ts';
import { importComments, importPosts } from './se.posts.ts';
import { ConvertPool } from './se.render.ts';
import { ImportFileError, readRows } from './se.xml.ts';

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
  /** Rows per transaction (and per conversion batch); default 1000. */
  batchSize?: number;
  /** Conversion worker threads; default one per core, 0 converts on the main thread. */
  workers?: number;
  progress?: (p: Progress) => void;
  /** Stops the import between two batches (Ctrl-C): what is committed stays, a re-run resumes. */
  signal?: AbortSignal;
}

/** The import stopped on `signal`: every committed batch is whole, a re-run finishes the rest. */
export class ImportInterrupted extends Error {
  override name = 'ImportInterrupted';
}

/** Wall and CPU seconds of one phase (CPU of the whole process, conversion workers included). */
export interface PhaseTime {
  name: string;
  seconds: number;
  cpuSeconds: number;
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
  phases: PhaseTime[];
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
  const phases: PhaseTime[] = [];
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await fn();
    } finally {
      const used = process.cpuUsage(cpu);
      phases.push({
        name,
        seconds: (performance.now() - wall) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
      });
    }
  };
  let bytesTotal = [...sizes.values()].reduce((a, b) => a + b, 0);
  let bytesDone = 0;
  let items = 0;
  let current = { phase: 'checking' as Progress['phase'], file: '' };
  const report = () => opts.progress?.({ ...current, bytesDone, bytesTotal, items });
  const tick = (phase: Progress['phase'], file: string) => (n: number) => {
    bytesDone += n;
    current = { phase, file };
    report();
  };

  const pool = new ConvertPool(opts.workers ?? os.availableParallelism());
  try {
    // 1. Check every file completely before writing anything (files in parallel on the workers).
    const badgesRead = await timed('check', async () => {
      const bySize = [...files].sort((a, b) => sizes.get(b.name)! - sizes.get(a.name)!);
      const counts = await Promise.all(
        bySize.map((f) => {
          const bytes = tick('checking', f.name);
          return pool.check(path.join(dir, f.name), f.root, (n, rows) => {
            items += rows;
            bytes(n);
          });
        }),
      );
      return counts[bySize.findIndex((f) => f.name === 'Badges.xml')] ?? 0;
    });
    if (opts.signal?.aborted) throw new ImportInterrupted('import interrupted before anything was written');

    // 2. Write, file by file, in batch transactions (Badges.xml is not imported: not read again).
    bytesDone = 0;
    bytesTotal -= sizes.get('Badges.xml') ?? 0;
    items = 0;
    const ctx: Ctx = await setUp(deps, site, slug, dir, opts.batchSize ?? 1000, pool);
    // Called after each committed batch: progress, and the only place an import stops early.
    const onRows = (n: number) => {
      items += n;
      report();
      if (opts.signal?.aborted) throw new ImportInterrupted('import interrupted');
    };
    const read = (name: string, root: string) =>
      readRows(path.join(dir, name), root, ctx.batchSize, tick('importing', name), READ[name]);
    await timed('users', () => importUsers(ctx, read('Users.xml', 'users'), onRows));
    if (files.some((f) => f.name === 'Tags.xml'))
      await timed('tags', () => importTags(ctx, read('Tags.xml', 'tags'), onRows));
    await timed('posts', () =>
      importPosts(
        ctx,
        read('Posts.xml', 'posts'),
        () => readRows(path.join(dir, 'Posts.xml'), 'posts', ctx.batchSize, undefined, READ['Posts.xml']),
        onRows,
      ),
    );
    await timed('comments', () => importComments(ctx, read('Comments.xml', 'comments'), onRows));
    await timed('votes', () => importVotes(ctx, read('Votes.xml', 'votes'), onRows));
    await timed('recount', () => recount(deps, ctx.communityId));
    return {
      community: { id: ctx.communityId, slug },
      site,
      created: ctx.created,
      totals: {
        users: ctx.users.size,
        threads: ctx.questions.size,
        answers: ctx.answers.size,
        comments: ctx.comments.size,
        reactions: await q.countImportedVotes(deps.db, ctx.communityId),
      },
      skipped: ctx.skipped,
      badgesRead,
      seconds: (Date.now() - started) / 1000,
      phases,
    };
  } finally {
    await pool.close();
  }
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
  pool: ConvertPool,
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
      const id = await q.insertCommunity(trx, {
        slug,
        name: `${host} (archive)`.slice(0, 100),
        description: `Imported from the Stack Exchange data dump of ${site} (${path.basename(dir)}). Content is licensed CC BY-SA; every post links to its original and names its author.`,
        ownerId: ghostId,
        now,
      });
      community = { id, slug, name: host };
    }
    if (!(await q.findGhost(trx, site)))
      await q.insertRows(trx, 'imported_accounts', [
        [ghostId, community.id, site, null, null, 'ghost', null],
      ]);
    return { communityId: community.id, ghostId };
  });
  const load = (kind: string) => q.loadMap(deps.db, communityId, SOURCE, kind);
  return {
    db: deps.db,
    pool,
    now,
    site,
    host,
    communityId,
    ghostId,
    batchSize,
    users: await load('user'),
    userNames: new Map(),
    questions: await load('question'),
    answers: await load('answer'),
    answerThread: await q.answerThreads(deps.db, communityId),
    comments: await load('comment'),
    voters: (await q.listVoters(deps.db, communityId)).map((v) => v.user_id),
    created: { users: 0, threads: 0, comments: 0, reactions: 0, tags: 0 },
    skipped: {},
  };
}

/**
 * Stored counters recomputed from the rows, in one transaction (idempotent): set-based counts
 * (importers.queries.ts), the hot rank of the few threads young enough to have one (Lemmy's
 * formula is 0 past a week), the community's member and thread counts.
 */
async function recount(deps: { db: Db; clock: Clock }, communityId: number) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await q.recountCounters(trx, communityId);
    for (const t of await q.rankableThreads(trx, communityId, now - HOT_WINDOW_MS)) {
      const rank = hotRank(Number(t.score), Number(t.created_at), now);
      if (rank !== t.hot_rank) await q.setHotRank(trx, t.id, rank);
    }
    await q.setCommunityCounts(trx, communityId, now);
  });
}

export { ImportFileError };
