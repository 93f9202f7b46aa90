/** Events of polls (content module). */
declare module '../../platform/events.ts' {
  interface EventMap {
    'content.poll_created': { pollId: number; threadId: number; communityId: number };
    'content.poll_voted': { pollId: number; threadId: number; communityId: number; userId: number };
  }
}
export {};
