import type { Events } from '../../platform/events.ts';
import '../content/content.events.ts';
import { adjustThreadCount } from './communities.queries.ts';

/** Events the communities module emits. */
declare module '../../platform/events.ts' {
  interface EventMap {
    'communities.created': { communityId: number; ownerId: number; visibility: 'public' | 'private' };
    'communities.updated': { communityId: number; by: number };
    'communities.member_joined': { communityId: number; userId: number };
    'communities.member_left': { communityId: number; userId: number; removedBy: number | null };
    'communities.join_requested': { communityId: number; userId: number };
    'communities.member_invited': { communityId: number; userId: number; invitedBy: number };
    'communities.role_changed': { communityId: number; userId: number; role: string; by: number };
  }
}

/** Reactions to other modules' events: the community's thread counter follows content. */
export function registerCommunityHandlers(events: Events): void {
  events.on('content.thread_created', 'communities.count_thread', async (e, { db }) => {
    await adjustThreadCount(db, e.communityId, 1);
  });
  events.on('content.thread_deleted', 'communities.uncount_thread', async (e, { db }) => {
    await adjustThreadCount(db, e.communityId, -1);
  });
}
