import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { fail } from '../../platform/errors.ts';
import { communityAccess } from '../../platform/permissions.ts';
import { loadReadableThread } from '../content/content.present.ts';
import type { Authorize, Authorized, Topic } from './realtime.hub.ts';
import * as q from './realtime.queries.ts';

/**
 * Who may subscribe to what: exactly who may read it over REST. A thread: whoever
 * `GET /threads/{id}` lets read it (content's own check, reused so the two can never differ);
 * a community: whoever may read its threads; an inbox: its owner only. Outsiders of a private
 * community get the same not-found code as for something that does not exist.
 */
export function authorizer(db: Db): Authorize {
  return async (viewer: Viewer, topic: Topic): Promise<Authorized> => {
    switch (topic.topic) {
      case 'thread': {
        const { thread } = await loadReadableThread(db, topic.id, viewer);
        return { channel: threadChannel(thread.id), communityId: thread.community_id };
      }
      case 'community': {
        const c = await q.findCommunityRef(db, topic);
        const name = topic.slug ?? topic.id;
        if (!c) fail('COMMUNITY_NOT_FOUND', `No community "${name}"`);
        const access = await communityAccess(db, c, viewer);
        if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${name}"`);
        return { channel: communityChannel(c.id), communityId: c.id };
      }
      case 'inbox': {
        if (topic.userId != null && topic.userId !== viewer.userId)
          fail('FORBIDDEN', 'You can only subscribe to your own inbox');
        return { channel: inboxChannel(viewer.userId), communityId: null };
      }
    }
  };
}

export const threadChannel = (id: number) => `thread:${id}`;
export const communityChannel = (id: number) => `community:${id}`;
export const inboxChannel = (userId: number) => `user:${userId}`;
