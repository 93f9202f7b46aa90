import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { ContentAttributionsTable, DB } from '../../db/schema.ts';
import { ensureTags } from '../../platform/tags.ts';
import { excerpt, renderMarkdown } from '../content/content.markdown.ts';
import * as q from './importers.queries.ts';
import { htmlToMarkdown, parseTags, tagName, usernameFor, VOTE_DOWN, VOTE_UP } from './se.convert.ts';
import { ImportFileError, need, needDate, needInt, type XmlRow } from './se.xml.ts';

const SOURCE = 'stackexchange';
const pathSegment = (id: number) => String(id).padStart(10, '0');
type Rows = AsyncIterable<XmlRow[]>;

/** Import state: what is already in the database (maps from SE ids to Hearth ids) and counters. */
export interface Ctx {
  db: Db;
  now: number;
  site: string;
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
  votes: Map<number, number>;
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

function attribution(
  ctx: Ctx,
  type: 'thread' | 'comment',
  id: number,
  url: string,
  userId: string | undefined,
  fallbackName: string | undefined,
  license: string | undefined,
): ContentAttributionsTable {
  const seUser = userId ? Number(userId) : null;
  return {
    target_type: type,
    target_id: id,
    community_id: ctx.communityId,
    source_name: new URL(ctx.site).hostname,
    source_url: url,
    author_name: (seUser !== null && ctx.userNames.get(seUser)) || fallbackName || 'anonymous',
    author_url: seUser !== null && ctx.userNames.has(seUser) ? `${ctx.site}/users/${seUser}` : null,
    license: (license || 'CC BY-SA').slice(0, 32),
  };
}

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
    await batch(ctx, async (trx, after) => {
      const pairs: [number, number][] = [];
      for (const u of todo) {
        const id = await q.insertUser(trx, {
          username: usernameFor(u.name, u.seId, ctx.communityId),
          email: `se${u.seId < 0 ? `m${-u.seId}` : u.seId}.c${ctx.communityId}@${new URL(ctx.site).hostname}.invalid`,
          displayName: u.name,
          createdAt: u.createdAt,
        });
        pairs.push([u.seId, id]);
      }
      await q.insertMany(
        trx,
        'memberships',
        todo.map((u, i) => ({
          community_id: ctx.communityId,
          user_id: pairs[i]![1],
          role: 'member' as const,
          status: 'active' as const,
          guidelines_accepted_at: u.createdAt,
          invited_by: null,
          created_at: u.createdAt,
          joined_at: u.createdAt,
        })),
      );
      await q.insertImportedAccounts(
        trx,
        todo.map((u, i) => ({
          user_id: pairs[i]![1],
          community_id: ctx.communityId,
          site: ctx.site,
          source_user_id: u.seId,
          source_account_id: u.accountId,
          kind: 'member' as const,
          claimed_at: null,
        })),
      );
      await q.insertMap(trx, ctx.communityId, SOURCE, 'user', pairs);
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
    const before = await ctx.db
      .selectFrom('tags')
      .select('name')
      .where('name', 'in', names.length ? names : [''])
      .execute();
    await ensureTags(ctx.db, names, ctx.now);
    ctx.created.tags += new Set(names).size - before.length;
    onRows(list.length);
  }
}

export async function importPosts(
  ctx: Ctx,
  rows: Rows,
  kind: 'question' | 'answer',
  onRows: (n: number) => void,
) {
  const wanted = kind === 'question' ? '1' : '2';
  for await (const list of rows) {
    const todo = list.filter((r) => {
      const type = need(FILE.posts, r, 'PostTypeId');
      if (type !== '1' && type !== '2') {
        if (kind === 'question') skip(ctx, `posts of type ${type} (not a question or answer)`);
        return false;
      }
      return (
        type === wanted &&
        !(kind === 'question' ? ctx.questions : ctx.answers).has(needInt(FILE.posts, r, 'Id'))
      );
    });
    await batch(ctx, async (trx, after) => {
      const pairs: [number, number][] = [];
      const attributions: ContentAttributionsTable[] = [];
      const tagged: { threadId: number; tags: string[] }[] = [];
      const threadOfAnswer: [number, number][] = [];
      for (const r of todo) {
        const seId = needInt(FILE.posts, r, 'Id');
        const createdAt = needDate(FILE.posts, r, 'CreationDate');
        const body = htmlToMarkdown(r.attrs.Body ?? '');
        const html = renderMarkdown(body).html;
        const author = (r.attrs.OwnerUserId && ctx.users.get(Number(r.attrs.OwnerUserId))) || ctx.ghostId;
        const edited = r.attrs.LastEditDate ? needDate(FILE.posts, r, 'LastEditDate') : null;
        let id: number;
        if (kind === 'question') {
          const title = (r.attrs.Title ?? '').trim().slice(0, 300) || `Question ${seId}`;
          ({ id } = await trx
            .insertInto('threads')
            .values({
              community_id: ctx.communityId,
              author_id: author,
              title,
              body,
              body_html: html,
              excerpt: excerpt(body),
              score: 0,
              up_count: 0,
              down_count: 0,
              reaction_counts: '{}',
              comment_count: 0,
              hot_rank: 0,
              pinned: 0,
              locked: 0,
              created_at: createdAt,
              edited_at: edited,
            })
            .returning('id')
            .executeTakeFirstOrThrow());
          tagged.push({ threadId: id, tags: parseTags(r.attrs.Tags) });
        } else {
          const threadId = ctx.questions.get(needInt(FILE.posts, r, 'ParentId'));
          if (!threadId) {
            skip(ctx, 'answers whose question is not in the dump');
            continue;
          }
          ({ id } = await trx
            .insertInto('comments')
            .values({
              thread_id: threadId,
              community_id: ctx.communityId,
              parent_id: null,
              author_id: author,
              depth: 0,
              path: '',
              body,
              body_html: html,
              score: 0,
              up_count: 0,
              down_count: 0,
              reaction_counts: '{}',
              created_at: createdAt,
              edited_at: edited,
            })
            .returning('id')
            .executeTakeFirstOrThrow());
          await trx
            .updateTable('comments')
            .set({ path: pathSegment(id) })
            .where('id', '=', id)
            .execute();
          threadOfAnswer.push([id, threadId]);
        }
        pairs.push([seId, id]);
        const url = `${ctx.site}/${kind === 'question' ? 'q' : 'a'}/${seId}`;
        attributions.push(
          attribution(
            ctx,
            kind === 'question' ? 'thread' : 'comment',
            id,
            url,
            r.attrs.OwnerUserId,
            r.attrs.OwnerDisplayName,
            r.attrs.ContentLicense,
          ),
        );
      }
      const tagIds = await ensureTags(
        trx,
        tagged.flatMap((t) => t.tags),
        ctx.now,
      );
      await q.insertMany(
        trx,
        'thread_tags',
        tagged.flatMap((t) =>
          t.tags.map((name) => ({
            thread_id: t.threadId,
            tag_id: tagIds.get(name)!,
            community_id: ctx.communityId,
          })),
        ),
      );
      await q.insertAttributions(trx, attributions);
      await q.insertMap(trx, ctx.communityId, SOURCE, kind, pairs);
      after(() => {
        for (const [s, t] of pairs) (kind === 'question' ? ctx.questions : ctx.answers).set(s, t);
        for (const [c, t] of threadOfAnswer) ctx.answerThread.set(c, t);
        if (kind === 'question') ctx.created.threads += pairs.length;
        else ctx.created.comments += pairs.length;
      });
    });
    onRows(list.length);
  }
}

export async function importComments(ctx: Ctx, rows: Rows, onRows: (n: number) => void) {
  for await (const list of rows) {
    await batch(ctx, async (trx, after) => {
      const pairs: [number, number][] = [];
      const attributions: ContentAttributionsTable[] = [];
      for (const r of list) {
        const seId = needInt(FILE.comments, r, 'Id');
        if (ctx.comments.has(seId)) continue;
        const postId = needInt(FILE.comments, r, 'PostId');
        const createdAt = needDate(FILE.comments, r, 'CreationDate');
        const onQuestion = ctx.questions.get(postId);
        const answer = ctx.answers.get(postId);
        const threadId = onQuestion ?? (answer ? ctx.answerThread.get(answer) : undefined);
        if (!threadId) {
          skip(ctx, 'comments on posts that are not imported (tag wikis, deleted posts)');
          continue;
        }
        const body = (r.attrs.Text ?? '').trim() || '(empty comment)';
        const author = (r.attrs.UserId && ctx.users.get(Number(r.attrs.UserId))) || ctx.ghostId;
        const { id } = await trx
          .insertInto('comments')
          .values({
            thread_id: threadId,
            community_id: ctx.communityId,
            parent_id: onQuestion ? null : answer!,
            author_id: author,
            depth: onQuestion ? 0 : 1,
            path: '',
            body,
            body_html: renderMarkdown(body).html,
            score: 0,
            up_count: 0,
            down_count: 0,
            reaction_counts: '{}',
            created_at: createdAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const path = onQuestion ? pathSegment(id) : `${pathSegment(answer!)}.${pathSegment(id)}`;
        await trx.updateTable('comments').set({ path }).where('id', '=', id).execute();
        pairs.push([seId, id]);
        attributions.push(
          attribution(
            ctx,
            'comment',
            id,
            `${ctx.site}/posts/comments/${seId}`,
            r.attrs.UserId,
            r.attrs.UserDisplayName,
            r.attrs.ContentLicense,
          ),
        );
      }
      await q.insertAttributions(trx, attributions);
      await q.insertMap(trx, ctx.communityId, SOURCE, 'comment', pairs);
      after(() => {
        for (const [s, t] of pairs) ctx.comments.set(s, t);
        ctx.created.comments += pairs.length;
      });
    });
    onRows(list.length);
  }
}

/**
 * Votes → reactions. Public dumps carry no voter ids for up/down votes, so the
 * k-th vote on a post is cast by the community's k-th synthetic "anonymous
 * voter" account: one reaction row per vote (Hearth allows one reaction per
 * account and target), dated like the vote, so counts and history match the
 * dump. The numbering restarts on each run in file order, so it is stable
 * across resumes. Other vote types (accept, favorite, close...) are skipped.
 */
export async function importVotes(ctx: Ctx, rows: Rows, onRows: (n: number) => void) {
  const perPost = new Map<number, number>();
  for await (const list of rows) {
    await batch(ctx, async (trx, after) => {
      const pairs: [number, number][] = [];
      const reactions: DB['reactions'][] = [];
      const newVoters: number[] = [];
      for (const r of list) {
        const seId = needInt(FILE.votes, r, 'Id');
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
        if (ctx.votes.has(seId)) continue;
        while (ctx.voters.length + newVoters.length <= k) {
          const n = ctx.voters.length + newVoters.length + 1;
          const uid = await q.insertUser(trx, {
            username: `se_voter${n}_c${ctx.communityId}`,
            email: `voter${n}.c${ctx.communityId}@${new URL(ctx.site).hostname}.invalid`,
            displayName: `Anonymous voter ${n}`,
            createdAt: ctx.now,
          });
          await q.insertImportedAccounts(trx, [
            {
              user_id: uid,
              community_id: ctx.communityId,
              site: ctx.site,
              source_user_id: n,
              source_account_id: null,
              kind: 'voter',
              claimed_at: null,
            },
          ]);
          newVoters.push(uid);
        }
        const voter = k < ctx.voters.length ? ctx.voters[k]! : newVoters[k - ctx.voters.length]!;
        reactions.push({
          community_id: ctx.communityId,
          target_type: threadId ? 'thread' : 'comment',
          target_id: (threadId ?? commentId)!,
          user_id: voter,
          kind: type === VOTE_UP ? 'like' : 'downvote',
          created_at: needDate(FILE.votes, r, 'CreationDate'),
        } as unknown as DB['reactions']);
        pairs.push([seId, 0]);
      }
      await q.insertMany(trx, 'reactions', reactions as any, 400);
      await q.insertMap(trx, ctx.communityId, SOURCE, 'vote', pairs);
      after(() => {
        for (const [s] of pairs) ctx.votes.set(s, 0);
        ctx.voters.push(...newVoters);
        ctx.created.reactions += pairs.length;
      });
    });
    onRows(list.length);
  }
}

export { ImportFileError };
