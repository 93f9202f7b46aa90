import { reserveIds } from '../../db/dialect.ts';
import { ensureTags } from '../../platform/tags.ts';
import * as q from './importers.queries.ts';
import { parseTags } from './se.convert.ts';
import {
  attribution,
  batch,
  type Ctx,
  FILE,
  mapRows,
  pathSegment,
  pipelined,
  type Rows,
  skip,
} from './se.passes.ts';
import type { Converted } from './se.render.ts';
import { need, needDate, needInt, type XmlRow } from './se.xml.ts';

// Questions → threads, answers and comments → comments: the passes whose bodies are converted
// (on the workers, se.render.ts) while earlier batches are written.

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
