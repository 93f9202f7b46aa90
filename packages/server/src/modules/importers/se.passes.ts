import type { Transaction } from 'kysely';
import { reserveIds } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import { ensureTags } from '../../platform/tags.ts';
import * as q from './importers.queries.ts';
import { parseTags, tagName, usernameFor, VOTE_DOWN, VOTE_UP } from './se.convert.ts';
import type { Converted, ConvertPool, ToConvert } from './se.render.ts';
import { ImportFileError, need, needDate, needInt, type XmlRow } from './se.xml.ts';

const SOURCE = 'stackexchange';
const pathSegment = (id: number) => String(id).padStart(10, '0');
type Rows = AsyncIterable<XmlRow[]>;

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

const skip = (ctx: Ctx, why: string) => {
  ctx.skipped[why] = (ctx.skipped[why] ?? 0) + 1;
};

/** Runs `fn` in one transaction; the maps learn the new ids only after it committed. */
async function batch(ctx: Ctx, fn: (trx: Transaction<DB>, after: (f: () => void) => void) => Promise<void>) {
  const later: (() => void)[] = [];
  await ctx.db.transaction().execute((trx) => fn(trx, (f) => later.push(f)));
  for (const f of later) f();
}

/**
 * Batches flow through conversion (on the pool's workers) while earlier ones are written: up to
 * one batch per worker (plus one) converts ahead of the write. Writes stay in file order, one
 * transaction each, so resume and id resolution see the same order as a sequential import.
 */
async function pipelined<P>(
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

function attribution(
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

const mapRows = (ctx: Ctx, kind: string, pairs: [number, number][]) =>
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

const FILE = {
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

interface Post {
  row: XmlRow;
  seId: number;
  question: boolean;
}

/**
 * Questions and answers in one pass over Posts.xml (answers follow their question in a dump,
 * which is in creation order). An answer whose question comes later in the file (merged
 * questions) is remembered by id and imported by `again`, a second pass over those ids only.
 */
export async function importPosts(ctx: Ctx, rows: Rows, again: () => Rows, onRows: (n: number) => void) {
  const later = new Set<number>();
  const prepare = (list: XmlRow[], only?: Set<number>) => {
    const posts: Post[] = [];
    for (const r of list) {
      const type = need(FILE.posts, r, 'PostTypeId');
      if (type !== '1' && type !== '2') {
        if (!only) skip(ctx, `posts of type ${type} (not a question or answer)`);
        continue;
      }
      const seId = needInt(FILE.posts, r, 'Id');
      if (only && !only.has(seId)) continue;
      const question = type === '1';
      if (!(question ? ctx.questions : ctx.answers).has(seId)) posts.push({ row: r, seId, question });
    }
    const items = posts.map((p) => ({ source: p.row.attrs.Body ?? '', html: true, excerpt: p.question }));
    return { prep: posts, items };
  };
  await pipelined(ctx, rows, prepare, (posts, conv) => writePosts(ctx, posts, conv, later), onRows);
  if (later.size) {
    const only = new Set(later);
    later.clear();
    await pipelined(
      ctx,
      again(),
      (list) => prepare(list, only),
      (posts, conv) => writePosts(ctx, posts, conv, null),
      () => {},
    );
  }
}

async function writePosts(ctx: Ctx, posts: Post[], conv: Converted[], later: Set<number> | null) {
  await batch(ctx, async (trx, after) => {
    const questions = posts.flatMap((p, i) => (p.question ? [i] : []));
    const threadIds = await reserveIds(trx, 'threads', questions.length);
    const newThreads = new Map(questions.map((i, k) => [posts[i]!.seId, threadIds[k]!]));
    const threads: unknown[][] = [];
    const tagged: { threadId: number; tags: string[] }[] = [];
    const attributions: unknown[][] = [];
    const pairs = { question: [] as [number, number][], answer: [] as [number, number][] };
    const answers: { i: number; threadId: number }[] = [];
    posts.forEach((p, i) => {
      const r = p.row;
      if (p.question) return;
      const parent = needInt(FILE.posts, r, 'ParentId');
      const threadId = ctx.questions.get(parent) ?? newThreads.get(parent);
      if (threadId) answers.push({ i, threadId });
      else if (later) later.add(p.seId);
      else skip(ctx, 'answers whose question is not in the dump');
    });
    const answerIds = await reserveIds(trx, 'comments', answers.length);
    const comments: unknown[][] = [];
    const threadOfAnswer: [number, number][] = [];
    const common = (p: Post) => {
      const r = p.row;
      return {
        author: (r.attrs.OwnerUserId && ctx.users.get(Number(r.attrs.OwnerUserId))) || ctx.ghostId,
        createdAt: needDate(FILE.posts, r, 'CreationDate'),
        edited: r.attrs.LastEditDate ? needDate(FILE.posts, r, 'LastEditDate') : null,
      };
    };
    questions.forEach((i, k) => {
      const p = posts[i]!;
      const c = conv[i]!;
      const id = threadIds[k]!;
      const { author, createdAt, edited } = common(p);
      const title = (p.row.attrs.Title ?? '').trim().slice(0, 300) || `Question ${p.seId}`;
      threads.push([
        id,
        ctx.communityId,
        author,
        title,
        c.body,
        c.html,
        c.excerpt ?? '',
        0,
        0,
        0,
        '{}',
        0,
        0,
        0,
        0,
        createdAt,
        edited,
      ]);
      tagged.push({ threadId: id, tags: parseTags(p.row.attrs.Tags) });
      pairs.question.push([p.seId, id]);
      attributions.push(attributionOf(ctx, p, 'thread', id));
    });
    answers.forEach(({ i, threadId }, k) => {
      const p = posts[i]!;
      const c = conv[i]!;
      const id = answerIds[k]!;
      const { author, createdAt, edited } = common(p);
      comments.push([
        id,
        threadId,
        ctx.communityId,
        null,
        author,
        0,
        pathSegment(id),
        c.body,
        c.html,
        0,
        0,
        0,
        '{}',
        createdAt,
        edited,
      ]);
      threadOfAnswer.push([id, threadId]);
      pairs.answer.push([p.seId, id]);
      attributions.push(attributionOf(ctx, p, 'comment', id));
    });
    await q.insertRows(trx, 'threads', threads, 50);
    const tagIds = await ensureTags(
      trx,
      tagged.flatMap((t) => t.tags),
      ctx.now,
    );
    await q.insertRows(
      trx,
      'thread_tags',
      tagged.flatMap((t) => t.tags.map((name) => [t.threadId, tagIds.get(name)!, ctx.communityId])),
    );
    await q.insertRows(trx, 'comments', comments, 50);
    await q.insertRows(trx, 'content_attributions', attributions);
    await q.insertRows(trx, 'import_map', [
      ...mapRows(ctx, 'question', pairs.question),
      ...mapRows(ctx, 'answer', pairs.answer),
    ]);
    after(() => {
      for (const [s, t] of pairs.question) ctx.questions.set(s, t);
      for (const [s, t] of pairs.answer) ctx.answers.set(s, t);
      for (const [c, t] of threadOfAnswer) ctx.answerThread.set(c, t);
      ctx.created.threads += pairs.question.length;
      ctx.created.comments += pairs.answer.length;
    });
  });
}

const attributionOf = (ctx: Ctx, p: Post, type: 'thread' | 'comment', id: number) =>
  attribution(
    ctx,
    type,
    id,
    `${ctx.site}/${p.question ? 'q' : 'a'}/${p.seId}`,
    p.row.attrs.OwnerUserId,
    p.row.attrs.OwnerDisplayName,
    p.row.attrs.ContentLicense,
  );

interface SeComment {
  row: XmlRow;
  seId: number;
  threadId: number;
  /** The answer it replies to (Hearth comment id), or null when it is on the question. */
  answer: number | null;
}

export async function importComments(ctx: Ctx, rows: Rows, onRows: (n: number) => void) {
  const prepare = (list: XmlRow[]) => {
    const todo: SeComment[] = [];
    for (const r of list) {
      const seId = needInt(FILE.comments, r, 'Id');
      if (ctx.comments.has(seId)) continue;
      const postId = needInt(FILE.comments, r, 'PostId');
      const onQuestion = ctx.questions.get(postId);
      const answer = ctx.answers.get(postId);
      const threadId = onQuestion ?? (answer ? ctx.answerThread.get(answer) : undefined);
      if (!threadId) {
        skip(ctx, 'comments on posts that are not imported (tag wikis, deleted posts)');
        continue;
      }
      todo.push({ row: r, seId, threadId, answer: onQuestion ? null : answer! });
    }
    return {
      prep: todo,
      items: todo.map((c) => ({ source: c.row.attrs.Text ?? '', html: false, excerpt: false })),
    };
  };
  await pipelined(ctx, rows, prepare, (todo, conv) => writeComments(ctx, todo, conv), onRows);
}

async function writeComments(ctx: Ctx, todo: SeComment[], conv: Converted[]) {
  await batch(ctx, async (trx, after) => {
    const ids = await reserveIds(trx, 'comments', todo.length);
    const rows: unknown[][] = [];
    const attributions: unknown[][] = [];
    const pairs: [number, number][] = [];
    todo.forEach((c, i) => {
      const id = ids[i]!;
      const r = c.row;
      const author = (r.attrs.UserId && ctx.users.get(Number(r.attrs.UserId))) || ctx.ghostId;
      const path = c.answer === null ? pathSegment(id) : `${pathSegment(c.answer)}.${pathSegment(id)}`;
      const createdAt = needDate(FILE.comments, r, 'CreationDate');
      rows.push([
        id,
        c.threadId,
        ctx.communityId,
        c.answer,
        author,
        c.answer === null ? 0 : 1,
        path,
        conv[i]!.body,
        conv[i]!.html,
        0,
        0,
        0,
        '{}',
        createdAt,
        null,
      ]);
      pairs.push([c.seId, id]);
      const url = `${ctx.site}/posts/comments/${c.seId}`;
      attributions.push(
        attribution(ctx, 'comment', id, url, r.attrs.UserId, r.attrs.UserDisplayName, r.attrs.ContentLicense),
      );
    });
    await q.insertRows(trx, 'comments', rows, 50);
    await q.insertRows(trx, 'content_attributions', attributions);
    await q.insertRows(trx, 'import_map', mapRows(ctx, 'comment', pairs));
    after(() => {
      for (const [s, t] of pairs) ctx.comments.set(s, t);
      ctx.created.comments += pairs.length;
    });
  });
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

export { ImportFileError };
