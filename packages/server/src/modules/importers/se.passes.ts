import type { Transaction } from 'kysely';
import { reserveIds } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { ensureTags } from '../../platform/tags.ts';
import * as q from './importers.queries.ts';
import { tagName, usernameFor, VOTE_DOWN, VOTE_UP } from './se.convert.ts';
import type { Converted, ConvertPool, ToConvert } from './se.render.ts';
import { need, needDate, needInt, type XmlRow } from './se.xml.ts';

const SOURCE = 'stackexchange';
export const pathSegment = (id: number) => String(id).padStart(10, '0');
export type Rows = AsyncIterable<XmlRow[]>;

/** Import state: what is already in the database (maps from SE ids to Hearth ids) and counters. */
export interface Ctx {
  db: Db;
  pool: ConvertPool;
  now: number;
  site: string;
  host: string;
  communityId: number;
  ghostId: number;
  batchSize: number;
  users: Map<number, number>;
  /** SE user id → display name, for attribution (read on every run, resumed or not). */
  userNames: Map<number, string>;
  questions: Map<number, number>;
  answers: Map<number, number>;
  /** Hearth comment id of an answer → its thread id. */
  answerThread: Map<number, number>;
  comments: Map<number, number>;
  voters: number[];
  created: { users: number; threads: number; comments: number; reactions: number; tags: number };
  skipped: Record<string, number>;
}

export const skip = (ctx: Ctx, why: string) => {
  ctx.skipped[why] = (ctx.skipped[why] ?? 0) + 1;
};

/** Runs `fn` in one transaction; the maps learn the new ids only after it committed. */
export async function batch(
  ctx: Ctx,
  fn: (trx: Transaction<DB>, after: (f: () => void) => void) => Promise<void>,
) {
  const later: (() => void)[] = [];
  await ctx.db.transaction().execute((trx) => fn(trx, (f) => later.push(f)));
  for (const f of later) f();
}

/**
 * Batches flow through conversion (on the pool's workers) while earlier ones are written: up to
 * one batch per worker (plus one) converts ahead of the write. Writes stay in file order, one
 * transaction each, so resume and id resolution see the same order as a sequential import.
 */
export async function pipelined<P>(
  ctx: Ctx,
  batches: Rows,
  prepare: (list: XmlRow[]) => { prep: P; items: ToConvert[] },
  write: (prep: P, converted: Converted[]) => Promise<void>,
  onRows: (n: number) => void,
) {
  const ahead: Promise<[P, Converted[], number]>[] = [];
  const depth = ctx.pool.size + 1;
  const drain = async () => {
    const [prep, converted, n] = await ahead.shift()!;
    await write(prep, converted);
    onRows(n);
  };
  for await (const list of batches) {
    const { prep, items } = prepare(list);
    const p = ctx.pool.convert(items).then((c): [P, Converted[], number] => [prep, c, list.length]);
    p.catch(() => {}); // awaited in order below; this only keeps an early failure from being "unhandled"
    ahead.push(p);
    if (ahead.length >= depth) await drain();
  }
  while (ahead.length) await drain();
}

export function attribution(
  ctx: Ctx,
  type: 'thread' | 'comment',
  id: number,
  url: string,
  userId: string | undefined,
  fallbackName: string | undefined,
  license: string | undefined,
): unknown[] {
  const seUser = userId ? Number(userId) : null;
  return [
    type,
    id,
    ctx.communityId,
    ctx.host,
    url,
    (seUser !== null && ctx.userNames.get(seUser)) || fallbackName || 'anonymous',
    seUser !== null && ctx.userNames.has(seUser) ? `${ctx.site}/users/${seUser}` : null,
    (license || 'CC BY-SA').slice(0, 32),
  ];
}

export const mapRows = (ctx: Ctx, kind: string, pairs: [number, number][]) =>
  pairs.map(([s, t]) => [ctx.communityId, SOURCE, kind, String(s), t]);

/**
 * The attributes each pass reads (RowScanner decodes only these); bodies stay raw (escaped) on
 * the main thread and are decoded by the conversion workers.
 */
export const READ: Record<string, { keep: ReadonlySet<string>; raw?: ReadonlySet<string> }> = {
  'Users.xml': { keep: new Set(['Id', 'AccountId', 'DisplayName', 'CreationDate']) },
  'Tags.xml': { keep: new Set(['Id', 'TagName']) },
  'Posts.xml': {
    keep: new Set([
      'Id',
      'PostTypeId',
      'ParentId',
      'CreationDate',
      'LastEditDate',
      'OwnerUserId',
      'OwnerDisplayName',
      'Title',
      'Tags',
      'ContentLicense',
    ]),
    raw: new Set(['Body']),
  },
  'Comments.xml': {
    keep: new Set(['Id', 'PostId', 'CreationDate', 'UserId', 'UserDisplayName', 'ContentLicense']),
    raw: new Set(['Text']),
  },
  'Votes.xml': { keep: new Set(['Id', 'PostId', 'VoteTypeId', 'CreationDate']) },
};

export const FILE = {
  users: 'Users.xml',
  posts: 'Posts.xml',
  comments: 'Comments.xml',
  votes: 'Votes.xml',
  tags: 'Tags.xml',
};

export async function importUsers(ctx: Ctx, rows: Rows, onRows: (n: number) => void) {
  for await (const list of rows) {
    const todo: { seId: number; accountId: number | null; name: string; createdAt: number }[] = [];
    for (const r of list) {
      const seId = needInt(FILE.users, r, 'Id');
      const name = (r.attrs.DisplayName ?? `user${seId}`).slice(0, 64) || `user${seId}`;
      ctx.userNames.set(seId, name);
      if (ctx.users.has(seId)) continue;
      const accountId = r.attrs.AccountId ? needInt(FILE.users, r, 'AccountId') : null;
      todo.push({ seId, accountId, name, createdAt: needDate(FILE.users, r, 'CreationDate') });
    }
    if (todo.length)
      await batch(ctx, async (trx, after) => {
        const ids = await reserveIds(trx, 'users', todo.length);
        const seKey = (seId: number) => (seId < 0 ? `m${-seId}` : String(seId));
        await q.insertRows(
          trx,
          'users',
          todo.map((u, i) => [
            ids[i],
            usernameFor(u.name, u.seId, ctx.communityId),
            `se${seKey(u.seId)}.c${ctx.communityId}@${ctx.host}.invalid`,
            null,
            u.name,
            '',
            null,
            0,
            u.createdAt,
            u.createdAt,
          ]),
        );
        await q.insertRows(
          trx,
          'memberships',
          todo.map((u, i) => [
            ctx.communityId,
            ids[i],
            'member',
            'active',
            u.createdAt,
            null,
            u.createdAt,
            u.createdAt,
          ]),
        );
        await q.insertRows(
          trx,
          'imported_accounts',
          todo.map((u, i) => [ids[i], ctx.communityId, ctx.site, u.seId, u.accountId, 'member', null]),
        );
        const pairs = todo.map((u, i): [number, number] => [u.seId, ids[i]!]);
        await q.insertRows(trx, 'import_map', mapRows(ctx, 'user', pairs));
        after(() => {
          for (const [s, t] of pairs) ctx.users.set(s, t);
          ctx.created.users += pairs.length;
        });
      });
    onRows(list.length);
  }
}

export async function importTags(ctx: Ctx, rows: Rows, onRows: (n: number) => void) {
  for await (const list of rows) {
    const names = list.map((r) => tagName(need(FILE.tags, r, 'TagName'))).filter((n): n is string => !!n);
    const before = await q.existingTags(ctx.db, names);
    await ensureTags(ctx.db, names, ctx.now);
    ctx.created.tags += new Set(names).size - before.length;
    onRows(list.length);
  }
}

/**
 * Votes → reactions. Public dumps carry no voter ids for up/down votes, so the k-th vote on a
 * post is cast by the community's k-th synthetic "anonymous voter" account: one reaction row per
 * vote (Hearth allows one reaction per account and target), dated like the vote, so counts and
 * history match the dump. Other vote types (accept, favorite, close...) are skipped.
 *
 * Resume needs no import_map rows here (votes are the most numerous rows of a dump): the
 * numbering restarts on each run in file order, so a vote always maps to the same (post, voter
 * k) pair, and the one-reaction-per-account constraint makes inserting it again a no-op.
 */
export async function importVotes(ctx: Ctx, rows: Rows, onRows: (n: number) => void) {
  const perPost = new Map<number, number>();
  for await (const list of rows) {
    const todo: { k: number; threadId?: number; commentId?: number; up: boolean; at: number }[] = [];
    for (const r of list) {
      const type = needInt(FILE.votes, r, 'VoteTypeId');
      const postId = needInt(FILE.votes, r, 'PostId');
      if (type !== VOTE_UP && type !== VOTE_DOWN) {
        skip(ctx, `votes of other types (type ${type})`);
        continue;
      }
      const threadId = ctx.questions.get(postId);
      const commentId = ctx.answers.get(postId);
      if (!threadId && !commentId) {
        skip(ctx, 'votes on posts that are not imported');
        continue;
      }
      const k = perPost.get(postId) ?? 0;
      perPost.set(postId, k + 1);
      todo.push({
        k,
        threadId,
        commentId,
        up: type === VOTE_UP,
        at: needDate(FILE.votes, r, 'CreationDate'),
      });
    }
    if (todo.length)
      await batch(ctx, async (trx, after) => {
        const needed = Math.max(...todo.map((v) => v.k + 1)) - ctx.voters.length;
        const newVoters = needed > 0 ? await insertVoters(ctx, trx, needed) : [];
        const voter = (k: number) =>
          k < ctx.voters.length ? ctx.voters[k]! : newVoters[k - ctx.voters.length]!;
        const inserted = await q.insertRows(
          trx,
          'reactions',
          todo.map((v) => [
            ctx.communityId,
            v.threadId ? 'thread' : 'comment',
            (v.threadId ?? v.commentId)!,
            voter(v.k),
            v.up ? 'like' : 'downvote',
            v.at,
          ]),
          200,
          ['target_type', 'target_id', 'user_id'],
        );
        after(() => {
          ctx.voters.push(...newVoters);
          ctx.created.reactions += inserted;
        });
      });
    onRows(list.length);
  }
}

/** The next `n` "Anonymous voter k" accounts (not members: they only carry votes). */
async function insertVoters(ctx: Ctx, trx: Transaction<DB>, n: number): Promise<number[]> {
  const ids = await reserveIds(trx, 'users', n);
  const first = ctx.voters.length + 1;
  await q.insertRows(
    trx,
    'users',
    ids.map((id, i) => [
      id,
      `se_voter${first + i}_c${ctx.communityId}`,
      `voter${first + i}.c${ctx.communityId}@${ctx.host}.invalid`,
      null,
      `Anonymous voter ${first + i}`,
      '',
      null,
      0,
      ctx.now,
      ctx.now,
    ]),
  );
  await q.insertRows(
    trx,
    'imported_accounts',
    ids.map((id, i) => [id, ctx.communityId, ctx.site, first + i, null, 'voter', null]),
  );
  return ids;
}
