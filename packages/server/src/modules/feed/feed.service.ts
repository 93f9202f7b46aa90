import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import { presentThreadSummaries } from '../content/content.present.ts';
import { findThreadSummaries, type ThreadSummaryRow } from '../content/content.queries.ts';
import * as q from './feed.queries.ts';
import {
  FEED_WINDOW_MS,
  feedReasons,
  feedScore,
  MAX_BOOST,
  rankStaleness,
  SOCIAL_CAP,
} from './feed.ranking.ts';
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
  /** Exact once `exact`; before that, `lo` <= feedScore <= `hi` (engagement unknown). */
  feedScore: number;
  lo: number;
  hi: number;
  exact: boolean;
  /** The thread's tags among the viewer's interests and followed tags. */
  tagIds: number[];
  /** Followed members who commented on or reacted to the thread: id -> username. */
  engaged: Map<number, string> | undefined;
}

const NONE: number[] = [];
/**
 * How far down a walk goes first, as slack over what the boosts alone require: a first page to
 * 1 / (4 · 1.25) of the k-th highest stored rank among the sources (decay since the ranks were
 * stored), a cursor page to 1 / (4 · staleness · 2) of the cursor's score (the next page scores
 * a little lower). Only a guess: when it falls short, the walk goes on (tests set it tight).
 */
export const WALK_SLACK = {
  probe: 1.25,
  cursor: 2,
  /** When a walk found fewer threads than the page needs: the next goes this many times lower, */
  step: 64,
  /** ... and after this many (or one that found nothing new), to the end. */
  rounds: 3,
};

/**
 * First-page walks remember how deep they had to go, per member and page size, for
 * GUESS_TTL_MS: the member's next first page starts its walk there instead of probing the
 * sources for their k-th highest rank (about half of a first page's SQL at 1M threads). Only a
 * guess, like the probe: too shallow (ranks decayed, threads deleted) and the walk goes on, too
 * deep and it reads more; the page is the same (feed.walk.test.ts).
 */
const GUESS_TTL_MS = 60_000;
const GUESSES_KEPT = 10_000;
const guesses = new WeakMap<object, Map<string, { depth: number; at: number }>>();
function guessOf(db: object) {
  let m = guesses.get(db);
  if (!m) {
    m = new Map();
    guesses.set(db, m);
  }
  return m;
}

/**
 * The best `need` threads of tier 1 after the cursor, by (feedScore, id) descending, exactly as
 * ranking every thread of the window would order them, reading only the ones that can still
 * make it (README "Home feed"): the sources' threads are walked in stored scaled-rank order
 * down to a threshold. A thread's feedScore is at most MAX_BOOST (x4) times its scaled rank at
 * asOf, which is at most `staleness` times its stored rank, so once the `need`-th best feedScore
 * found is known to be at least L, a thread stored below L / (4 · staleness) cannot reach the
 * page. Engagement (a query) is fetched only for threads whose upper bound reaches L.
 */
async function rankTier1(
  deps: FeedDeps,
  viewerId: number,
  g: SocialGraph,
  asOf: number,
  now: number,
  cursor: Cursor | null,
  need: number,
): Promise<Ranked[]> {
  const from = asOf - FEED_WINDOW_MS;
  const staleness = rankStaleness(asOf, now);
  const liked = new Set([...g.interests, ...g.followedTags]);
  const followed = new Set(g.followedUsers);
  // Threads ranked after asOf and older than 7 days by then may be stored at 0 (content's job):
  // a cursor page reads the oldest (now - asOf) of its window by time instead (short: the
  // time since the first page).
  const edgeTo = Math.min(asOf, now - FEED_WINDOW_MS);
  const edge: [number, number] | null = edgeTo > from ? [from, edgeTo] : null;
  const after = (score: number, id: number) =>
    !cursor || score < cursor.key || (score === cursor.key && id < cursor.id);
  const rows = new Map<number, Ranked>();

  const inputs = (c: Ranked, engaged: number) => ({
    score: c.score,
    createdAt: c.created_at,
    interactionsMonth: Number(c.interactions),
    interestMatches: c.tagIds.length,
    followedEngaged: engaged,
  });
  /** The `need`-th highest feedScore known to belong after the cursor (a lower bound), or 0. */
  const floor = () => {
    const known: number[] = [];
    for (const r of rows.values()) {
      if (r.exact) {
        if (after(r.feedScore, r.id)) known.push(r.feedScore);
      } else if (!cursor || r.hi < cursor.key) known.push(r.lo);
    }
    if (known.length < need) return 0;
    known.sort((a, b) => b - a);
    return known[need - 1]!;
  };

  const remembered = guessOf(deps.db);
  const guessKey = `${viewerId}:${need}`;
  const guess = cursor ? undefined : remembered.get(guessKey);
  let minRank: number | 'probe' = cursor
    ? cursor.key / (MAX_BOOST * staleness * WALK_SLACK.cursor)
    : guess && now - guess.at >= 0 && now - guess.at < GUESS_TTL_MS
      ? guess.depth
      : 'probe';
  let resume: q.Resume | null = null;
  for (let round = 0; ; round++) {
    const walk = await q.walkCandidates(deps.db, g, {
      from,
      to: asOf,
      minRank,
      probe: need,
      probeFactor: 1 / (MAX_BOOST * WALK_SLACK.probe),
      resume,
      edge,
      liked: [...liked],
    });
    let added = 0;
    for (const c of walk.rows as Ranked[]) {
      if (rows.has(c.id)) continue;
      added++;
      c.tagIds = c.liked_tags ? c.liked_tags.split(',').map(Number) : NONE;
      const authorFollowed = followed.has(c.author_id) ? 1 : 0;
      c.lo = feedScore(inputs(c, authorFollowed), asOf);
      // With nobody followed there is no engagement to look up: the lower bound is the score.
      c.exact = followed.size === 0;
      c.hi = c.exact ? c.lo : feedScore(inputs(c, SOCIAL_CAP), asOf);
      c.feedScore = c.lo;
      rows.set(c.id, c);
    }
    // Engagement only for the threads that may still be on the page and are not surely before it.
    const bar = floor();
    const todo = [...rows.values()].filter(
      (r) =>
        !r.exact &&
        r.hi >= bar &&
        (!cursor || r.lo < cursor.key || (r.lo === cursor.key && r.id < cursor.id)),
    );
    if (todo.length) {
      const engagement = await q.engagementOf(
        deps.db,
        g.followedUsers,
        todo.map((r) => r.id),
        from,
        asOf,
      );
      for (const r of todo) {
        r.engaged = engagement.get(r.id);
        let engaged = r.engaged?.size ?? 0;
        if (followed.has(r.author_id) && !r.engaged?.has(r.author_id)) engaged++;
        r.feedScore = feedScore(inputs(r, engaged), asOf);
        r.exact = true;
      }
    }
    const L = floor();
    // Everything stored at or above `reached` has been read (a group cut short at its LIMIT
    // has only reached its last row); done when that covers L / (4 · staleness).
    const enough = (L / (MAX_BOOST * staleness)) * (1 - 1e-9);
    let reached = walk.walkedTo;
    for (const [rank] of [...walk.cut.communities.values(), ...walk.cut.tags.values()])
      reached = Math.max(reached, rank * (1 + 1e-12));
    if (reached <= q.RANKED || reached <= enough) {
      if (!cursor && walk.walkedTo < Number.MAX_VALUE) {
        remembered.delete(guessKey);
        if (remembered.size >= GUESSES_KEPT) remembered.delete(remembered.keys().next().value!);
        remembered.set(guessKey, { depth: Math.max(q.RANKED, walk.walkedTo), at: now });
      }
      break;
    }
    const next =
      L > 0
        ? enough
        : round + 1 >= WALK_SLACK.rounds || added === 0
          ? q.RANKED // nothing new that far down: the window's ranked threads are few, read them all
          : walk.walkedTo / WALK_SLACK.step;
    // Groups walked to the end resume below this walk's threshold, cut ones below their last row.
    resume = { communities: walk.cut.communities, tags: walk.cut.tags, others: [walk.walkedTo, 0] };
    minRank = Math.max(q.RANKED, Math.min(next, walk.walkedTo));
  }
  return [...rows.values()]
    .filter((r) => r.exact && after(r.feedScore, r.id))
    .sort((a, b) => b.feedScore - a.feedScore || b.id - a.id)
    .slice(0, need);
}

export async function homeFeed(deps: FeedDeps, viewer: Viewer, query: { cursor?: string; limit: number }) {
  const now = deps.clock.now();
  const cursor = readCursor(query.cursor, now);
  const asOf = cursor?.asOf ?? now;
  const g = await loadSocialGraph(deps.db, viewer.userId);
  const limit = query.limit;
  let page: (Ranked | q.OlderThread)[] = [];
  let nextCursor: string | null = null;

  if (!cursor || cursor.tier === 1) {
    const ranked = await rankTier1(deps, viewer.userId, g, asOf, now, cursor, limit + 1);
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

async function present(deps: FeedDeps, viewer: Viewer, g: SocialGraph, page: (Ranked | q.OlderThread)[]) {
  // The page's summaries in one statement (author, community, tags, counts, the viewer's
  // reaction, the sponsor label).
  const rows = new Map(
    (
      await findThreadSummaries(
        deps.db,
        page.map((p) => p.id),
        viewer.userId,
      )
    ).map((r) => [r.id, r]),
  );
  // A thread deleted since it was ranked (between pages) is left out, not shown as deleted.
  const ordered = page
    .map((p) => rows.get(p.id))
    .filter((r): r is ThreadSummaryRow => r !== undefined && r.deleted_at == null);
  const summaries = presentThreadSummaries(ordered);
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
