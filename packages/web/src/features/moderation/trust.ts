/** Discourse's names for its trust levels (blog.discourse.org, "Understanding Discourse Trust Levels"). */
export const TRUST_NAMES = ['New', 'Basic', 'Member', 'Regular', 'Leader'] as const;
export const trustName = (level: number) => TRUST_NAMES[level] ?? `Level ${level}`;

const STAT_LABELS: Record<string, string> = {
  threadsEntered: 'Threads entered',
  postsRead: 'Posts read',
  minutesRead: 'Minutes reading',
  daysVisited: 'Days visited',
  likesGiven: 'Likes given',
  likesReceived: 'Likes received',
  repliesInThreads: 'Threads replied to',
};
/** The activity behind a level, as far as it means something to people (numbers only). */
export function statRows(stats: Record<string, unknown>): [string, number][] {
  return Object.entries(STAT_LABELS)
    .filter(([k]) => typeof stats[k] === 'number')
    .map(([k, label]) => [label, stats[k] as number]);
}
