import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { communityAccess } from '../../platform/permissions.ts';
import { ensureTags, normalizeTag } from '../../platform/tags.ts';
import './feed.events.ts';
import * as q from './social.queries.ts';

export interface FeedDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

/** Follow targets are members and tags; mute targets are members, communities and tags. */
export type FollowKind = 'users' | 'tags';
export type MuteKind = 'users' | 'communities' | 'tags';
const TYPE = { users: 'user', communities: 'community', tags: 'tag' } as const;

/** Resolves a path parameter to the target's id: 404 for unknown members and for communities the viewer cannot see. */
async function resolveTarget(deps: FeedDeps, viewer: Viewer, kind: MuteKind, name: string, create: boolean) {
  if (kind === 'users') {
    const id = await q.findUserId(deps.db, name);
    if (!id) fail('USER_NOT_FOUND', `No member "${name}"`);
    if (id === viewer.userId) invalid('username', 'that is you');
    return id;
  }
  if (kind === 'communities') {
    const c = await q.findCommunity(deps.db, name);
    // Same answer for a private community the viewer cannot see as for none at all.
    if (!c || !(await communityAccess(deps.db, c, viewer)).canSeeCommunity)
      fail('COMMUNITY_NOT_FOUND', `No community "${name}"`);
    return c.id;
  }
  const tag = normalizeTag(name, 'name');
  if (create) return (await ensureTags(deps.db, [tag], deps.clock.now())).get(tag)!;
  const row = await deps.db.selectFrom('tags').select('id').where('name', '=', tag).executeTakeFirst();
  return row?.id ?? null;
}

export async function follow(deps: FeedDeps, viewer: Viewer, kind: FollowKind, name: string) {
  const targetId = (await resolveTarget(deps, viewer, kind, name, true))!;
  await inTransaction(deps, async (trx) => {
    const added = await q.addRelation(trx, 'follows', viewer.userId, TYPE[kind], targetId, deps.clock.now());
    if (added && kind === 'users') {
      await deps.events.emit(trx, 'feed.user_followed', { followerId: viewer.userId, followeeId: targetId });
    }
  });
  return { following: true };
}

export async function unfollow(deps: FeedDeps, viewer: Viewer, kind: FollowKind, name: string) {
  const targetId = await resolveTarget(deps, viewer, kind, name, false);
  if (targetId) await q.removeRelation(deps.db, 'follows', viewer.userId, TYPE[kind], targetId);
  return { following: false };
}

export async function mute(deps: FeedDeps, viewer: Viewer, kind: MuteKind, name: string) {
  const targetId = (await resolveTarget(deps, viewer, kind, name, true))!;
  await q.addRelation(deps.db, 'mutes', viewer.userId, TYPE[kind], targetId, deps.clock.now());
  return { muted: true };
}

export async function unmute(deps: FeedDeps, viewer: Viewer, kind: MuteKind, name: string) {
  // Unmuting needs no visibility check: the row is the viewer's own, and a 404 would not differ.
  const targetId =
    kind === 'communities'
      ? (await q.findCommunity(deps.db, name))?.id
      : await resolveTarget(deps, viewer, kind, name, false);
  if (targetId) await q.removeRelation(deps.db, 'mutes', viewer.userId, TYPE[kind], targetId);
  return { muted: false };
}

/** The viewer's own follows or mutes of one kind, newest first. */
export async function list(
  deps: FeedDeps,
  viewer: Viewer,
  rel: q.Relation,
  kind: MuteKind,
  query: { cursor?: string; limit: number },
) {
  const after = decodeCursor(query.cursor, ['int', 'id']) as [number, number] | null;
  const args = { rel, userId: viewer.userId, after, limit: query.limit };
  const key = (r: { created_at: number; target_id: number }) => [r.created_at, r.target_id];
  if (kind === 'users') {
    const { items, nextCursor } = page(await q.listUsers(deps.db, args), query.limit, key);
    return {
      items: items.map((r) => ({
        id: r.target_id,
        username: r.username,
        displayName: r.display_name,
        avatarUrl: r.avatar_url,
        since: iso(r.created_at),
      })),
      nextCursor,
    };
  }
  if (kind === 'tags') {
    const { items, nextCursor } = page(await q.listTags(deps.db, args), query.limit, key);
    return { items: items.map((r) => ({ name: r.name, since: iso(r.created_at) })), nextCursor };
  }
  const { items, nextCursor } = page(await q.listCommunities(deps.db, args), query.limit, key);
  return {
    items: items.map((r) => ({ id: r.target_id, slug: r.slug, name: r.name, since: iso(r.created_at) })),
    nextCursor,
  };
}
