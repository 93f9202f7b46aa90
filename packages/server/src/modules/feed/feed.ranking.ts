import { HOUR } from '../../platform/clock.ts';
import { GRAVITY, HOT_WINDOW_MS, hotRank, scaledRank } from '../content/content.ranking.ts';

/**
 * The home feed's ranking, computed at read time at the snapshot time `asOf` that the
 * cursor carries (so every page of one feed ranks with the same clock):
 *
 *   feedScore = scaled · (1 + 0.5 · min(2, I)) · (1 + 0.25 · min(4, F))
 *
 *   scaled = Lemmy's scaled rank: hot_rank(score, created_at, asOf) / log10(2 + community
 *            interactions in the last month), so a thread of a small community is not
 *            drowned by a big one (content.ranking.ts; Lemmy utils.sql r.scaled_rank)
 *   I      = the thread's tags among the member's interests (user_interests) and followed tags
 *   F      = members the viewer follows who wrote it, or commented on or reacted
 *            positively to it before asOf
 *
 * Each boost is capped, so interests and connections can at most double and double again
 * a thread's rank (x4): they reorder the member's feed toward their niche without letting
 * a week-old thread with the right tag outrank today's discussion forever (hot decay
 * still dominates: a thread's scaled rank halves in well under a day at 1.8 gravity).
 * The weights are ours, not Lemmy's (Lemmy has no personal boosts).
 */
export const INTEREST_BOOST = 0.5;
export const INTEREST_CAP = 2;
export const SOCIAL_BOOST = 0.25;
export const SOCIAL_CAP = 4;
/** Only threads younger than the hot window (7 days) are ranked; older ones follow by recency. */
export const FEED_WINDOW_MS = HOT_WINDOW_MS;

/** The most the boosts can multiply a thread's scaled rank by (x2 for interests, x2 for follows). */
export const MAX_BOOST = (1 + INTEREST_BOOST * INTEREST_CAP) * (1 + SOCIAL_BOOST * SOCIAL_CAP);

/**
 * How much a stored scaled rank can understate the scaled rank at `asOf` when it was computed
 * at some time up to `now` with the thread's current score and community activity:
 *   stored / scaled(asOf) = ((asOf - c)/H + 2)^1.8 / ((t - c)/H + 2)^1.8 for a thread created
 * at c and ranked at t; for t <= asOf that is at most 1, for asOf < t <= now at most
 * ((now - asOf)/H + 2)^1.8 / 2^1.8 (a thread created at asOf). 1 on a first page (asOf = now).
 */
export function rankStaleness(asOf: number, now: number): number {
  return (1 + Math.max(0, now - asOf) / (2 * HOUR)) ** GRAVITY;
}

export interface FeedInputs {
  score: number;
  createdAt: number;
  interactionsMonth: number;
  interestMatches: number;
  followedEngaged: number;
}

export function feedScore(t: FeedInputs, asOf: number): number {
  const scaled = scaledRank(hotRank(t.score, t.createdAt, asOf), t.interactionsMonth);
  return (
    scaled *
    (1 + INTEREST_BOOST * Math.min(INTEREST_CAP, t.interestMatches)) *
    (1 + SOCIAL_BOOST * Math.min(SOCIAL_CAP, t.followedEngaged))
  );
}

/** Human reasons shown with a feed item ("why am I seeing this"). */
export function feedReasons(r: {
  interests: string[];
  followedTags: string[];
  authorFollowed: string | null;
  engaged: string[];
}): string[] {
  const out: string[] = [];
  if (r.authorFollowed) out.push(`By @${r.authorFollowed}, whom you follow`);
  if (r.engaged.length === 1) out.push(`@${r.engaged[0]}, whom you follow, joined in`);
  else if (r.engaged.length > 1) out.push(`${r.engaged.length} members you follow joined in`);
  for (const t of r.followedTags) out.push(`You follow #${t}`);
  for (const t of r.interests) if (!r.followedTags.includes(t)) out.push(`#${t} is one of your interests`);
  return out;
}
