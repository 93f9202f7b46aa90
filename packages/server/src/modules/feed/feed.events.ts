/** Events the feed module emits (notifications may tell a member they have a new follower). */
declare module '../../platform/events.ts' {
  interface EventMap {
    'feed.user_followed': { followerId: number; followeeId: number };
  }
}
export {};
