import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, ReportTargetType } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import type { Events } from '../../platform/events.ts';
import { type CommunityAccess, communityAccess } from '../../platform/permissions.ts';
import * as q from './moderation.queries.ts';

export interface ModerationDeps {
  db: Db;
  events: Events;
  clock: Clock;
}
type Q = Db | Transaction<DB>;

/** A community by slug, as the viewer may see it: 404 (never 403) when it is private to them. */
export async function loadCommunity(
  db: Db,
  slug: string,
  viewer: Viewer | null,
  need: 'see' | 'read' = 'read',
) {
  const community = await q.findCommunityBySlug(db, slug);
  if (!community) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const access = await communityAccess(db, community, viewer);
  if (!(need === 'see' ? access.canSeeCommunity : access.canRead)) {
    fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  }
  return { community, access };
}

export async function loadModeratedCommunity(db: Db, slug: string, viewer: Viewer) {
  const loaded = await loadCommunity(db, slug, viewer, 'see');
  if (!loaded.access.isModerator) fail('FORBIDDEN', 'Only moderators of this community can do this');
  return loaded;
}

export async function accessTo(db: Q, communityId: number, viewer: Viewer | null): Promise<CommunityAccess> {
  const c = await q.findCommunityById(db, communityId);
  if (!c) fail('COMMUNITY_NOT_FOUND', `No community ${communityId}`);
  return communityAccess(db as Db, c, viewer);
}

/** What a report, action or note points at, with what authorization needs to know. */
export interface Target {
  type: ReportTargetType;
  id: number;
  communityId: number | null;
  /** The author of a thread or comment, or the user a profile belongs to. */
  userId: number;
  threadId: number | null;
  deleted: boolean;
  pending: boolean;
  locked: boolean;
  /** For a comment: its thread is deleted, or held and by `threadAuthorId`. */
  threadDeleted?: boolean;
  threadPending?: boolean;
  threadAuthorId?: number;
}

export async function findTarget(db: Q, type: ReportTargetType, id: number): Promise<Target | undefined> {
  if (type === 'thread') {
    const t = await q.findThreadTarget(db, id);
    return t && { ...base(type, t), threadId: t.id, locked: t.locked === 1 };
  }
  if (type === 'comment') {
    const c = await q.findCommentTarget(db, id);
    return (
      c && {
        ...base(type, c),
        threadId: c.thread_id,
        locked: c.locked === 1,
        threadDeleted: c.thread_deleted_at != null,
        threadPending: c.thread_status === 'pending',
        threadAuthorId: c.thread_author_id,
      }
    );
  }
  if (type === 'user') {
    const u = await q.findUser(db, id);
    return (
      u && {
        type,
        id,
        communityId: null,
        userId: u.id,
        threadId: null,
        deleted: false,
        pending: false,
        locked: false,
      }
    );
  }
  return undefined;
}

const base = (
  type: ReportTargetType,
  r: { id: number; community_id: number; author_id: number; deleted_at: number | null; status: string },
) => ({
  type,
  id: r.id,
  communityId: r.community_id,
  userId: r.author_id,
  deleted: r.deleted_at != null,
  pending: r.status === 'pending',
});

const NOT_FOUND = {
  thread: 'THREAD_NOT_FOUND',
  comment: 'COMMENT_NOT_FOUND',
  user: 'USER_NOT_FOUND',
} as const;

/**
 * A thread, comment or user the viewer may read, with their access to its community.
 * Same rules as the content module: 404 for private content, deleted content (non-moderators)
 * and held content (anyone but its author and moderators).
 */
export async function loadReadableTarget(
  db: Db,
  type: 'thread' | 'comment' | 'user',
  id: number,
  viewer: Viewer,
) {
  const target = await findTarget(db, type, id);
  if (!target) fail(NOT_FOUND[type], `No ${type} ${id}`);
  if (target.communityId == null) return { target, access: null };
  const access = await accessTo(db, target.communityId, viewer);
  const hidden =
    (target.deleted ||
      target.threadDeleted ||
      (target.pending && target.userId !== viewer.userId) ||
      (target.threadPending && target.threadAuthorId !== viewer.userId)) &&
    !access.isModerator;
  if (!access.canRead || hidden) fail(NOT_FOUND[type], `No ${type} ${id}`);
  return { target, access };
}

/** Site admins moderate the site queue, suspensions and every community. */
export function assertAdmin(viewer: Viewer): void {
  if (!viewer.isAdmin) fail('FORBIDDEN', 'Only site administrators can do this');
}
