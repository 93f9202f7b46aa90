import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import { presentThreads } from '../content/content.present.ts';
import { findThreadsByIds, type ThreadRow } from '../content/content.queries.ts';
import * as q from './feed.queries.ts';
import { FEED_WINDOW_MS, feedReasons, feedScore } from './feed.ranking.ts';
import type { FeedItem } from './feed.schema.ts';
import { loadSocialGraph, type SocialGraph } from './social.queries.ts';
import type { FeedDeps } from './social.service.ts';

/**
 * The personalized home feed (GET /feed). Two tiers:
 *   1. threads of the last 7 days from the member's communities, followed tags and
 *      followed members, ranked by feedScore (feed.ranking.ts) at the snapshot time asOf;
 *   2. then older ones from the same sources, newest first.
 * The cursor is [tier, asOf, key, id] (key: the score in tier 1, created_at in tier 2).
 * Every page ranks at the same asOf and ignores anything created after it, so new
 * threads, replies and follows' engagement never shift the pages of a feed being read;
 * a new first page (no cursor) takes a new snapshot. What can still move a thread across
 * a page boundary: votes cast and the 5-minute community activity refresh between two
 * page loads (their inputs are current values, not history).
 */
type Cursor = { tier: 1 | 2; asOf: number; key: number; id: number };

function readCursor(cursor: string | undefined, now: number): Cursor | null {
  const c = decodeCursor(cursor, ['id', 'number', 'number', 'id']);
  if (!c) return null;
  const [tier, asOf, key, id] = c as number[];
  if ((tier !== 1 && tier !== 2) || asOf! > now || asOf! < 0)
    fail('INVALID_CURSOR', 'cursor: not a cursor for this list');
  return { tier, asOf: asOf!, key: key!, id: id! };
}

interface Ranked extends q.Candidate {
  feedScore: number;
  /** The thread's tags among the viewer's interests and followed tags. */
  tagIds: number[];
  /** Followed members who commented on or reacted to the thread: id -> username. */
  engaged: Map<number, string> | undefined;
}

const NONE: number[] = [];

/** Scores every candidate (feed.ranking.ts). A plain loop: this runs for ~350 rows per request. */
async function rankWindow(deps: FeedDeps, g: SocialGraph, asOf: number): Promise<Ranked[]> {
  const from = asOf - FEED_WINDOW_MS;
  const candidates = (await q.windowCandidates(deps.db, g, from, asOf)) as Ranked[];
  const signals = await q.signalsOf(
    deps.db,
    g.followedUsers,
    candidates.map((c) => c.id),
    from,
    asOf,
  );
  const liked = new Set([...g.interests, ...g.followedTags]);
  const followedUsers = new Set(g.followedUsers);
  for (const c of candidates) {
    const tags = signals.tags.get(c.id);
    c.tagIds = tags ? tags.filter((t) => liked.has(t)) : NONE;
    c.engaged = signals.engaged.get(c.id);
    let engaged = c.engaged?.size ?? 0;
    if (followedUsers.has(c.author_id) && !c.engaged?.has(c.author_id)) engaged++;
    c.feedScore = feedScore(
      {
        score: c.score,
        createdAt: c.created_at,
        interactionsMonth: Number(c.interactions),
        interestMatches: c.tagIds.length,
        followedEngaged: engaged,
      },
      asOf,
    );
  }
  return candidates.sort((a, b) => b.feedScore - a.feedScore || b.id - a.id);
}

export async function homeFeed(deps: FeedDeps, viewer: Viewer, query: { cursor?: string; limit: number }) {
  const now = deps.clock.now();
  const cursor = readCursor(query.cursor, now);
  const asOf = cursor?.asOf ?? now;
  const g = await loadSocialGraph(deps.db, viewer.userId);
  const limit = query.limit;
  let page: (Ranked | q.Candidate)[] = [];
  let nextCursor: string | null = null;

  if (!cursor || cursor.tier === 1) {
    let ranked = await rankWindow(deps, g, asOf);
    if (cursor)
      ranked = ranked.filter(
        (r) => r.feedScore < cursor.key || (r.feedScore === cursor.key && r.id < cursor.id),
      );
    if (ranked.length > limit) {
      page = ranked.slice(0, limit);
      const last = page[page.length - 1] as Ranked;
      nextCursor = encodeCursor([1, asOf, last.feedScore, last.id]);
    } else {
      page = ranked;
    }
  }
  if (!nextCursor) {
    // Tier 2 continues where tier 1 ran out (or where the previous tier-2 page ended).
    const need = limit - page.length;
    const after: [number, number] | null = cursor?.tier === 2 ? [cursor.key, cursor.id] : null;
    const older = await q.olderThreads(deps.db, g, asOf - FEED_WINDOW_MS, after, need + 1);
    const more = older.length > need;
    const taken = older.slice(0, need);
    page = [...page, ...taken];
    const last = taken[taken.length - 1];
    if (more && last) nextCursor = encodeCursor([2, asOf, last.created_at, last.id]);
    else if (more && need === 0) {
      // Tier 1 filled this page exactly; tier 2 starts on the next one.
      const tail = page[page.length - 1]! as Ranked;
      nextCursor = encodeCursor([1, asOf, tail.feedScore, tail.id]);
    }
  }
  return { items: await present(deps, viewer, g, page), nextCursor, asOf: iso(asOf) };
}

async function present(deps: FeedDeps, viewer: Viewer, g: SocialGraph, page: (Ranked | q.Candidate)[]) {
  const rows = new Map(
    (
      await findThreadsByIds(
        deps.db,
        page.map((p) => p.id),
      )
    ).map((r) => [r.id, r]),
  );
  // A thread deleted since it was ranked (between pages) is left out, not shown as deleted.
  const ordered = page
    .map((p) => rows.get(p.id))
    .filter((r): r is ThreadRow => r !== undefined && r.deleted_at == null);
  const summaries = await presentThreads(deps.db, ordered, viewer);
  const byId = new Map(page.filter((p): p is Ranked => 'feedScore' in p).map((r) => [r.id, r]));
  const followed = new Set(g.followedUsers);
  const interests = new Set(g.interests);
  const followedTags = new Set(g.followedTags);
  const names = (ids: number[], among: Set<number>) =>
    ids
      .filter((t) => among.has(t))
      .map((t) => g.tagNames.get(t))
      .filter((n): n is string => !!n);
  return summaries.map((s): FeedItem => {
    const r = byId.get(s.id);
    return {
      ...s,
      reasons: feedReasons({
        interests: names(r?.tagIds ?? NONE, interests),
        followedTags: names(r?.tagIds ?? NONE, followedTags),
        authorFollowed: followed.has(s.author.id) ? s.author.username : null,
        engaged: [...(r?.engaged ?? new Map<number, string>()).entries()]
          .filter(([id, name]) => id !== s.author.id && name)
          .map(([, name]) => name),
      }),
    };
  });
}
