import type { ModerationSettings } from './settings.ts';

/**
 * Trust levels 0-4, earned from activity in one community, after Discourse
 * (discourse/discourse lib/promotion.rb and app/models/trust_level3_requirements.rb;
 * thresholds in settings.ts). TL1 and TL2 are never lost; TL3 is re-checked over a rolling
 * window and lost, after a grace period, when the member drops below 90% of a requirement;
 * TL4 is only ever granted by hand (as is any level a moderator pins).
 */
export interface TrustStats {
  threadsEntered: number;
  postsRead: number;
  msRead: number;
  daysVisited: number;
  likesGiven: number;
  likesReceived: number;
  repliesInThreads: number;
  /** The TL3 window (`tl3.periodDays` back from now). */
  period: {
    daysVisited: number;
    repliesInThreads: number;
    threadsRead: number;
    threadsCreated: number;
    postsRead: number;
    postsCreated: number;
    likesGiven: number;
    likesReceived: number;
    likesReceivedDays: number;
    likesReceivedUsers: number;
    removedPosts: number;
    sanctioned: boolean;
  };
}

type Thresholds = ModerationSettings['trust'];
const MINUTE = 60_000;

export function meetsTl1(s: TrustStats, t: Thresholds): boolean {
  return (
    s.threadsEntered >= t.tl1.threadsEntered &&
    s.postsRead >= t.tl1.postsRead &&
    s.msRead >= t.tl1.minutesRead * MINUTE
  );
}

export function meetsTl2(s: TrustStats, t: Thresholds): boolean {
  const r = t.tl2;
  return (
    s.threadsEntered >= r.threadsEntered &&
    s.postsRead >= r.postsRead &&
    s.msRead >= r.minutesRead * MINUTE &&
    s.daysVisited >= r.daysVisited &&
    s.likesGiven >= r.likesGiven &&
    s.likesReceived >= r.likesReceived &&
    s.repliesInThreads >= r.repliesInThreads
  );
}

/**
 * TL3 over the window. `ratio` scales every "at least" requirement (0.9 when checking
 * whether a TL3 member keeps the level); the "at most" ones stay as they are.
 */
export function meetsTl3(s: TrustStats, t: Thresholds, ratio = 1): boolean {
  const r = t.tl3;
  const p = s.period;
  const need = (n: number) => Math.ceil(n * ratio);
  // Percent of what was written in the window, capped as Discourse caps it.
  const threadsNeeded = Math.min((p.threadsCreated * r.threadsReadPercent) / 100, r.threadsReadCap);
  const postsNeeded = Math.min((p.postsCreated * r.postsReadPercent) / 100, r.postsReadCap);
  return (
    p.daysVisited >= need(r.daysVisited) &&
    p.repliesInThreads >= need(r.repliesInThreads) &&
    p.threadsRead >= need(threadsNeeded) &&
    p.postsRead >= need(postsNeeded) &&
    s.threadsEntered >= need(r.threadsEnteredAllTime) &&
    s.postsRead >= need(r.postsReadAllTime) &&
    p.likesGiven >= need(r.likesGiven) &&
    p.likesReceived >= need(r.likesReceived) &&
    p.likesReceivedDays >= need(r.likesReceivedDays) &&
    p.likesReceivedUsers >= need(r.likesReceivedUsers) &&
    p.removedPosts <= r.maxRemovedPosts &&
    !p.sanctioned
  );
}

export interface CurrentTrust {
  level: number;
  manualLevel: number | null;
  /** When the member reached `level`. */
  promotedAt: number;
}

/** The level a member should have now. */
export function computeLevel(s: TrustStats, t: Thresholds, current: CurrentTrust, now: number): number {
  if (current.manualLevel != null) return current.manualLevel;
  let earned = 0;
  if (meetsTl1(s, t)) earned = 1;
  if (earned === 1 && meetsTl2(s, t)) earned = 2;
  if (earned === 2 && meetsTl3(s, t)) earned = 3;
  if (current.level >= 3) {
    // A TL3 member keeps it during the grace period and while within 90% of the requirements.
    const inGrace = now - current.promotedAt < t.tl3.graceDays * 86_400_000;
    if (earned >= 3 || inGrace || meetsTl3(s, t, t.tl3.keepRatio)) return 3;
    return Math.max(earned, 2);
  }
  return Math.max(earned, Math.min(current.level, 2));
}

/** Discourse's flag weight: 1 + trust level (5 for staff) + an accuracy bonus (ReviewableScore.user_flag_score). */
export function flagWeight(level: number, staff: boolean, agreed: number, disagreed: number): number {
  return 1 + (staff ? 5 : level) + accuracyBonus(agreed, disagreed);
}

/**
 * discourse/discourse app/models/reviewable_score.rb calc_user_accuracy_bonus: none for 5 or
 * fewer decided flags; otherwise a bonus (or malus below 70% agreed) growing with log4(total).
 */
export function accuracyBonus(agreed: number, disagreed: number): number {
  const total = agreed + disagreed;
  if (total <= 5) return 0;
  const axis = 0.7;
  const correct = agreed / total;
  const positive = correct >= axis;
  const bottom = positive ? axis : 0;
  const top = positive ? 1 : axis;
  const distance = positive ? correct - bottom : top - correct;
  const value = distance * (1 / (top - bottom)) * (positive ? 1 : -1) * ((Math.log(total) / Math.log(4)) * 5);
  return Math.round(value * 100) / 100;
}
