import { Type } from '@sinclair/typebox';
import type { Topic } from './realtime.hub.ts';

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

/** A topic from a subscribe frame, or a message naming what is wrong. */
export function parseTopic(msg: Record<string, unknown>): Topic | string {
  const positive = (v: unknown) =>
    Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= 2_147_483_647;
  switch (msg.topic) {
    case 'thread':
      return positive(msg.id) ? { topic: 'thread', id: msg.id as number } : 'id must be a thread id';
    case 'community':
      if (typeof msg.slug === 'string' && msg.slug.length > 0 && msg.slug.length <= 64)
        return { topic: 'community', slug: msg.slug };
      return positive(msg.id)
        ? { topic: 'community', id: msg.id as number }
        : 'slug must be a community slug';
    case 'inbox':
      if (msg.userId === undefined) return { topic: 'inbox' };
      return positive(msg.userId)
        ? { topic: 'inbox', userId: msg.userId as number }
        : 'userId must be a user id';
    default:
      return 'topic must be thread, community or inbox';
  }
}
