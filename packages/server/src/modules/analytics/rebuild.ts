import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../platform/clock.ts';
import {
  bump,
  bumpMembers,
  clearCache,
  DAY_COUNTERS,
  lockCommunities,
  mergeRows,
  type Q,
} from './analytics.queries.ts';
import { dayOf, weekOfDay } from './periods.ts';
import { scoreText, sentimentCounters } from './sentiment.ts';

export interface RebuildProgress {
  phase: 'threads' | 'comments' | 'reactions' | 'members' | 'done';
  done: number;
  total: number;
}

const PAGE = 5000;

/**
 * Rebuilds a community's contribution rollups from the content tables with their original
 * dates: what imported history needs (importers emit no domain events) and what repairs drift.
 * Reading rollups are left alone: they come only from the ingestion endpoint and their raw
 * events may be past retention. One transaction, so the dashboard never sees half a rebuild.
 *
 * Accounts that are not people are left out of per-member rollups (kept in the totals):
 * imported "Anonymous voter k" and ghost accounts, and the erased-members tombstone.
 */
export async function rebuildCommunity(
  deps: { db: Db; clock: Clock },
  communityId: number,
  progress: (p: RebuildProgress) => void = () => {},
) {
  const counts = { threads: 0, comments: 0, reactions: 0, members: 0 };
  await deps.db.transaction().execute(async (trx) => {
    await lockCommunities(trx, [communityId]);
    // Events up to here are in the content this rebuild reads: their handlers must not count
    // them again (they skip events up to through_event_id; SQLite's writers wait for this
    // transaction, PostgreSQL's content transactions still open could commit an event below
    // it after the reads: a narrow window, which would leave that event uncounted).
    const through = Number(
      (
        await trx
          .selectFrom('outbox')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    );
    await clear(trx, communityId);
    const notPeople = await nonPersonAccounts(trx, communityId);
    const person = (id: number) => !notPeople.has(id);
    const first = new Map<number, number>();
    const contributed = (user: number, at: number) => {
      const f = first.get(user);
      if (f == null || at < f) first.set(user, at);
    };
    const days: Record<string, number | string>[] = [];
    const memberRows: Parameters<typeof bumpMembers>[1] = [];

    // Threads.
    const threadTotal = await countOf(trx, 'threads', communityId);
    const threadAuthor = new Map<number, number>();
    for (let after = 0; ; ) {
      const page = await trx
        .selectFrom('threads')
        .select(['id', 'author_id', 'created_at', 'title', 'body', 'deleted_at'])
        .where('community_id', '=', communityId)
        .where('status', '=', 'visible')
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      if (page.length === 0) break;
      for (const t of page) {
        const day = dayOf(t.created_at);
        threadAuthor.set(t.id, t.author_id);
        days.push({
          community_id: communityId,
          day,
          threads: 1,
          ...sentimentCounters(scoreText(`${t.title}\n${t.body}`)),
        });
        if (person(t.author_id)) {
          memberRows.push({ community_id: communityId, user_id: t.author_id, day, add: { threads: 1 } });
          contributed(t.author_id, t.created_at);
        }
      }
      await trx
        .insertInto('analytics_threads')
        .values(
          page.map((t) => ({
            thread_id: t.id,
            community_id: communityId,
            author_id: t.author_id,
            created_at: t.created_at,
            deleted: t.deleted_at == null ? 0 : 1,
          })),
        )
        // An event handler may have added the row since the clear (PostgreSQL runs them concurrently).
        .onConflict((oc) =>
          oc.column('thread_id').doUpdateSet((eb) => ({
            replies: 0,
            repliers: 0,
            max_depth: -1,
            first_response_at: null,
            reactions: 0,
            deleted: eb.ref('excluded.deleted'),
          })),
        )
        .execute();
      counts.threads += page.length;
      after = page[page.length - 1]!.id;
      progress({ phase: 'threads', done: counts.threads, total: threadTotal });
    }

    // Comments: replies, depth, first responses, who replied to whom.
    const commentTotal = await countOf(trx, 'comments', communityId);
    const facts = new Map<
      number,
      { replies: number; repliers: Set<number>; depth: number; first: number | null }
    >();
    const replies: Record<string, number>[] = [];
    const threadDays: Record<string, number>[] = [];
    for (let after = 0; ; ) {
      const page = await trx
        .selectFrom('comments as c')
        .leftJoin('comments as p', 'p.id', 'c.parent_id')
        .select([
          'c.id',
          'c.thread_id',
          'c.author_id',
          'c.depth',
          'c.created_at',
          'c.body',
          'p.author_id as parent_author',
        ])
        .where('c.community_id', '=', communityId)
        .where('c.status', '=', 'visible')
        .where('c.id', '>', after)
        .orderBy('c.id')
        .limit(PAGE)
        .execute();
      if (page.length === 0) break;
      for (const c of page) {
        const threadAuthorId = threadAuthor.get(c.thread_id);
        if (threadAuthorId == null) continue; // its thread is held
        const day = dayOf(c.created_at);
        days.push({ community_id: communityId, day, comments: 1, ...sentimentCounters(scoreText(c.body)) });
        threadDays.push({ community_id: communityId, day, thread_id: c.thread_id, comments: 1 });
        const to = c.parent_author ?? threadAuthorId;
        if (person(c.author_id)) {
          memberRows.push({ community_id: communityId, user_id: c.author_id, day, add: { comments: 1 } });
          contributed(c.author_id, c.created_at);
        }
        if (to !== c.author_id) {
          replies.push({ community_id: communityId, day, to_user_id: to, from_user_id: c.author_id, n: 1 });
          if (person(to))
            memberRows.push({ community_id: communityId, user_id: to, day, add: { replies_received: 1 } });
        }
        let f = facts.get(c.thread_id);
        if (!f) {
          f = { replies: 0, repliers: new Set(), depth: -1, first: null };
          facts.set(c.thread_id, f);
        }
        f.replies++;
        f.depth = Math.max(f.depth, c.depth);
        if (c.author_id !== threadAuthorId) {
          f.repliers.add(c.author_id);
          if (f.first == null || c.created_at < f.first) f.first = c.created_at;
        }
      }
      counts.comments += page.length;
      after = page[page.length - 1]!.id;
      progress({ phase: 'comments', done: counts.comments, total: commentTotal });
    }
    for (const [threadId, f] of facts) {
      await trx
        .updateTable('analytics_threads')
        .set({
          replies: f.replies,
          repliers: f.repliers.size,
          max_depth: f.depth,
          first_response_at: f.first,
        })
        .where('thread_id', '=', threadId)
        .execute();
    }
    await bump(
      trx,
      'analytics_replies',
      ['community_id', 'day', 'to_user_id', 'from_user_id'],
      ['n'],
      mergeRows(['community_id', 'day', 'to_user_id', 'from_user_id'], ['n'], replies),
    );
    await bump(
      trx,
      'analytics_thread_days',
      ['community_id', 'day', 'thread_id'],
      ['comments'],
      mergeRows(['community_id', 'day', 'thread_id'], ['comments'], threadDays),
    );

    // Reactions, aggregated in SQL (they are the most numerous rows).
    const byUserDay = await sql<{ user_id: number; day: number; n: number }>`
      select user_id, created_at / 86400000 as day, count(*) as n from reactions
      where community_id = ${communityId} group by user_id, created_at / 86400000`.execute(trx);
    for (const r of byUserDay.rows) {
      const day = Number(r.day);
      days.push({ community_id: communityId, day, reactions: Number(r.n) });
      if (person(r.user_id)) {
        memberRows.push({
          community_id: communityId,
          user_id: r.user_id,
          day,
          add: { reactions: Number(r.n) },
        });
      }
      counts.reactions += Number(r.n);
    }
    const byThread = await sql<{ thread_id: number; n: number }>`
      select coalesce(c.thread_id, r.target_id) as thread_id, count(*) as n from reactions r
      left join comments c on r.target_type = 'comment' and c.id = r.target_id
      where r.community_id = ${communityId} group by coalesce(c.thread_id, r.target_id)`.execute(trx);
    for (const r of byThread.rows) {
      await trx
        .updateTable('analytics_threads')
        .set({ reactions: Number(r.n) })
        .where('thread_id', '=', Number(r.thread_id))
        .execute();
    }
    progress({ phase: 'reactions', done: counts.reactions, total: counts.reactions });

    // Members: join dates (cohorts, new members) and first contributions (activation).
    const members = await trx
      .selectFrom('memberships')
      .select(['user_id', 'joined_at', 'created_at'])
      .where('community_id', '=', communityId)
      .where('status', '=', 'active')
      .execute();
    const rows = members
      .filter((mb) => person(mb.user_id))
      .map((mb) => {
        const joined = mb.joined_at ?? mb.created_at;
        days.push({ community_id: communityId, day: dayOf(joined), new_members: 1 });
        return {
          community_id: communityId,
          user_id: mb.user_id,
          joined_at: joined,
          join_week: weekOfDay(dayOf(joined)),
          first_contribution_at: first.get(mb.user_id) ?? null,
          left_at: null,
        };
      });
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto('analytics_members')
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) =>
          oc.columns(['community_id', 'user_id']).doUpdateSet((eb) => ({
            joined_at: eb.ref('excluded.joined_at'),
            join_week: eb.ref('excluded.join_week'),
            first_contribution_at: eb.ref('excluded.first_contribution_at'),
            left_at: null,
          })),
        )
        .execute();
    }
    counts.members = rows.length;

    for (const [table, column] of [
      ['mod_actions', 'mod_actions'],
      ['reports', 'reports'],
    ] as const) {
      const r = await sql<{ day: number; n: number }>`
        select created_at / 86400000 as day, count(*) as n from ${sql.table(table)}
        where community_id = ${communityId} group by created_at / 86400000`.execute(trx);
      for (const x of r.rows)
        days.push({ community_id: communityId, day: Number(x.day), [column]: Number(x.n) });
    }

    await bump(
      trx,
      'analytics_days',
      ['community_id', 'day'],
      [...DAY_COUNTERS],
      mergeRows(['community_id', 'day'], [...DAY_COUNTERS], days),
    );
    await bumpMembers(trx, memberRows, { invalidate: false });
    await trx
      .insertInto('analytics_state')
      .values({ community_id: communityId, rebuilt_at: deps.clock.now(), through_event_id: through })
      .onConflict((oc) =>
        oc.column('community_id').doUpdateSet({ rebuilt_at: deps.clock.now(), through_event_id: through }),
      )
      .execute();
    progress({ phase: 'members', done: counts.members, total: counts.members });
  });
  progress({ phase: 'done', done: 1, total: 1 });
  return counts;
}

/** Removes what the rebuild recomputes; reading counters stay. */
async function clear(trx: Q, communityId: number) {
  await clearCache(trx, communityId);
  for (const t of [
    'analytics_days',
    'analytics_threads',
    'analytics_replies',
    'analytics_members',
  ] as const) {
    await trx.deleteFrom(t).where('community_id', '=', communityId).execute();
  }
  await trx
    .updateTable('analytics_thread_days')
    .set({ comments: 0 })
    .where('community_id', '=', communityId)
    .execute();
  await trx
    .updateTable('analytics_member_activity')
    .set({ threads: 0, comments: 0, reactions: 0, replies_received: 0 })
    .where('community_id', '=', communityId)
    .execute();
  await trx
    .deleteFrom('analytics_member_activity')
    .where('community_id', '=', communityId)
    .where('read_ms', '=', 0)
    .where('views', '=', 0)
    .execute();
}

async function nonPersonAccounts(trx: Q, communityId: number) {
  const imported = await trx
    .selectFrom('imported_accounts')
    .select('user_id')
    .where('community_id', '=', communityId)
    .where('kind', 'in', ['voter', 'ghost'])
    .execute();
  const tomb = await trx.selectFrom('privacy_tombstone').select('user_id').execute();
  return new Set([...imported, ...tomb].map((r) => r.user_id));
}

async function countOf(trx: Q, table: 'threads' | 'comments', communityId: number) {
  const r = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
