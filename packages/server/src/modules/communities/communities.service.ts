import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { CommunitiesTable, MembershipsTable, Role } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, iso, isoOrNull } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import {
  assertModerator,
  assertOwner,
  type CommunityAccess,
  communityAccess,
} from '../../platform/permissions.ts';
import * as q from './communities.queries.ts';
import type { Community, CreateCommunityBody, UpdateCommunityBody } from './communities.schema.ts';
import './communities.events.ts';

export interface CommunitiesDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

type CommunityRow = Selectable<CommunitiesTable>;
type MembershipView = Pick<MembershipsTable, 'role' | 'status' | 'guidelines_accepted_at'> | undefined;

export function presentCommunity(c: CommunityRow, m: MembershipView): Community {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    visibility: c.visibility,
    joinPolicy: c.join_policy,
    guidelines: c.guidelines,
    memberCount: c.member_count,
    threadCount: c.thread_count,
    createdAt: iso(c.created_at),
    membership: m
      ? { role: m.role, status: m.status, guidelinesAcceptedAt: isoOrNull(m.guidelines_accepted_at) }
      : null,
  };
}

/** Loads a community the viewer may see, or 404 (private communities never say 403). */
export async function loadVisible(deps: CommunitiesDeps, slug: string, viewer: Viewer | null) {
  const c = await q.findCommunityBySlug(deps.db, slug);
  if (!c) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const access = await communityAccess(deps.db, c, viewer);
  if (!access.canSeeCommunity) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  return { community: c, access };
}

function checkPolicy(visibility: string, joinPolicy: string): void {
  // A private community is invisible to non-members, so nobody could find it to join or ask: invites only.
  if (visibility === 'private' && joinPolicy !== 'invite') {
    invalid('joinPolicy', 'a private community can only be joined by invitation (joinPolicy "invite")');
  }
}

export async function createCommunity(deps: CommunitiesDeps, viewer: Viewer, body: CreateCommunityBody) {
  const visibility = body.visibility ?? 'public';
  const joinPolicy = body.joinPolicy ?? (visibility === 'private' ? 'invite' : 'open');
  checkPolicy(visibility, joinPolicy);
  const slug = body.slug.toLowerCase();
  if (await q.findCommunityBySlug(deps.db, slug)) fail('SLUG_TAKEN', `The address "${slug}" is taken`);
  const now = deps.clock.now();
  const created = await inTransaction(deps, async (trx) => {
    const c = await trx
      .insertInto('communities')
      .values({
        slug,
        name: body.name.trim(),
        description: body.description ?? '',
        visibility,
        join_policy: joinPolicy,
        guidelines: body.guidelines ?? '',
        created_by: viewer.userId,
        member_count: 1,
        thread_count: 0,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('memberships')
      .values({
        community_id: c.id,
        user_id: viewer.userId,
        role: 'owner',
        status: 'active',
        guidelines_accepted_at: now,
        invited_by: null,
        created_at: now,
        joined_at: now,
      })
      .execute();
    await deps.events.emit(trx, 'communities.created', {
      communityId: c.id,
      ownerId: viewer.userId,
      visibility,
    });
    return c;
  }).catch((err) => {
    if (/unique|duplicate/i.test(String(err.message))) fail('SLUG_TAKEN', `The address "${slug}" is taken`);
    throw err;
  });
  return presentCommunity(created, { role: 'owner', status: 'active', guidelines_accepted_at: now });
}

export async function listCommunities(
  deps: CommunitiesDeps,
  viewer: Viewer | null,
  args: { cursor?: string; limit: number; mine?: boolean },
) {
  if (args.mine && !viewer) fail('UNAUTHENTICATED', 'Sign in to list your communities');
  const after = decodeCursor(args.cursor, ['int', 'id']) as [number, number] | null;
  const rows = await q.listVisibleCommunities(deps.db, {
    viewerId: viewer?.userId ?? null,
    isAdmin: viewer?.isAdmin ?? false,
    mine: !!args.mine,
    after,
    limit: args.limit,
  });
  const { items, nextCursor } = page(rows, args.limit, (c) => [c.member_count, c.id]);
  const memberships = viewer
    ? await q.listMembershipsOf(
        deps.db,
        viewer.userId,
        items.map((c) => c.id),
      )
    : [];
  const byCommunity = new Map(memberships.map((m) => [m.community_id, m]));
  return { items: items.map((c) => presentCommunity(c, byCommunity.get(c.id))), nextCursor };
}

export async function getCommunity(deps: CommunitiesDeps, slug: string, viewer: Viewer | null) {
  const { community } = await loadVisible(deps, slug, viewer);
  const m = viewer ? await q.findMembership(deps.db, community.id, viewer.userId) : undefined;
  return presentCommunity(community, m);
}

export async function updateCommunity(
  deps: CommunitiesDeps,
  slug: string,
  viewer: Viewer,
  body: UpdateCommunityBody,
) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  assertModerator(access);
  if (body.visibility !== undefined || body.joinPolicy !== undefined) assertOwner(access);
  checkPolicy(body.visibility ?? community.visibility, body.joinPolicy ?? community.join_policy);
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('communities')
      .set({
        ...(body.name !== undefined && { name: body.name.trim() }),
        ...(body.description !== undefined && { description: body.description }),
        ...(body.guidelines !== undefined && { guidelines: body.guidelines }),
        ...(body.visibility !== undefined && { visibility: body.visibility }),
        ...(body.joinPolicy !== undefined && { join_policy: body.joinPolicy }),
        updated_at: deps.clock.now(),
      })
      .where('id', '=', community.id)
      .execute();
    await deps.events.emit(trx, 'communities.updated', { communityId: community.id, by: viewer.userId });
  });
  return getCommunity(deps, slug, viewer);
}

/**
 * Joining: open communities let anyone in, request-only ones create a pending
 * request a moderator approves, invite-only ones need an invitation first.
 * When the community has guidelines, the member must accept them (recorded with time).
 */
export async function join(deps: CommunitiesDeps, slug: string, viewer: Viewer, acceptGuidelines: boolean) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  if (access.status === 'active') fail('ALREADY_MEMBER', 'You are already a member');
  if (access.status === 'pending')
    fail('ALREADY_REQUESTED', 'Your request to join is waiting for a moderator');
  if (community.join_policy === 'invite' && access.status !== 'invited') {
    fail('JOIN_BY_INVITE_ONLY', 'This community can only be joined by invitation');
  }
  if (community.guidelines.trim() && !acceptGuidelines) {
    fail(
      'GUIDELINES_NOT_ACCEPTED',
      'Read and accept the community guidelines to join (acceptGuidelines: true)',
      {
        field: 'acceptGuidelines',
      },
    );
  }
  const now = deps.clock.now();
  const becomesActive = community.join_policy !== 'request' || access.status === 'invited';
  const status = becomesActive ? ('active' as const) : ('pending' as const);
  await inTransaction(deps, async (trx) => {
    if (access.status === 'invited') {
      await q.updateMembership(trx, community.id, viewer.userId, {
        status: 'active',
        guidelines_accepted_at: now,
        joined_at: now,
      });
    } else {
      await trx
        .insertInto('memberships')
        .values({
          community_id: community.id,
          user_id: viewer.userId,
          role: 'member',
          status,
          guidelines_accepted_at: now,
          invited_by: null,
          created_at: now,
          joined_at: becomesActive ? now : null,
        })
        .execute();
    }
    if (becomesActive) {
      await q.adjustMemberCount(trx, community.id, 1);
      await deps.events.emit(trx, 'communities.member_joined', {
        communityId: community.id,
        userId: viewer.userId,
      });
    } else {
      await deps.events.emit(trx, 'communities.join_requested', {
        communityId: community.id,
        userId: viewer.userId,
      });
    }
  });
  return { status, role: 'member' as Role };
}

async function removeMembership(
  deps: CommunitiesDeps,
  communityId: number,
  userId: number,
  wasActive: boolean,
  by: number | null,
) {
  await inTransaction(deps, async (trx) => {
    await trx
      .deleteFrom('memberships')
      .where('community_id', '=', communityId)
      .where('user_id', '=', userId)
      .execute();
    if (wasActive) {
      await q.adjustMemberCount(trx, communityId, -1);
      await deps.events.emit(trx, 'communities.member_left', { communityId, userId, removedBy: by });
    }
  });
}

export async function leave(deps: CommunitiesDeps, slug: string, viewer: Viewer) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  if (!access.status) fail('NOT_A_MEMBER', 'You are not a member of this community');
  if (access.role === 'owner' && (await q.countOwners(deps.db, community.id)) <= 1) {
    fail('OWNER_CANNOT_LEAVE', 'Make another member owner before you leave');
  }
  await removeMembership(deps, community.id, viewer.userId, access.status === 'active', null);
}

async function loadTarget(deps: CommunitiesDeps, communityId: number, username: string) {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
  if (!user) fail('USER_NOT_FOUND', `No member named ${username}`);
  const m = await q.findMembership(deps.db, communityId, user.id);
  return { user, m };
}

export async function listMembers(
  deps: CommunitiesDeps,
  slug: string,
  viewer: Viewer | null,
  args: { cursor?: string; limit: number; status?: 'active' | 'pending' | 'invited' },
) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  const status = args.status ?? 'active';
  // Who asked to join or was invited is for moderators; the member list is for whoever can read the community.
  if (status !== 'active') assertModerator(access);
  else if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const after = decodeCursor(args.cursor, ['id']);
  const rows = await q.listMembers(deps.db, {
    communityId: community.id,
    status,
    afterUserId: (after?.[0] as number) ?? null,
    limit: args.limit,
  });
  const { items, nextCursor } = page(rows, args.limit, (r) => [r.userId]);
  return {
    items: items.map((r) => ({
      userId: r.userId,
      username: r.username,
      displayName: r.display_name,
      avatarUrl: r.avatar_url,
      role: r.role,
      status: r.status,
      joinedAt: isoOrNull(r.joined_at),
      guidelinesAcceptedAt: isoOrNull(r.guidelines_accepted_at),
    })),
    nextCursor,
  };
}

export async function approve(deps: CommunitiesDeps, slug: string, viewer: Viewer, username: string) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  assertModerator(access);
  const { user, m } = await loadTarget(deps, community.id, username);
  if (m?.status !== 'pending') fail('REQUEST_NOT_FOUND', `${username} has no pending request to join`);
  await inTransaction(deps, async (trx) => {
    await q.updateMembership(trx, community.id, user.id, { status: 'active', joined_at: deps.clock.now() });
    await q.adjustMemberCount(trx, community.id, 1);
    await deps.events.emit(trx, 'communities.member_joined', { communityId: community.id, userId: user.id });
  });
}

export async function invite(deps: CommunitiesDeps, slug: string, viewer: Viewer, username: string) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  assertModerator(access);
  const { user, m } = await loadTarget(deps, community.id, username);
  if (m?.status === 'active') fail('ALREADY_MEMBER', `${username} is already a member`);
  if (m?.status === 'invited') return;
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    if (m) {
      await q.updateMembership(trx, community.id, user.id, { status: 'invited', invited_by: viewer.userId });
    } else {
      await trx
        .insertInto('memberships')
        .values({
          community_id: community.id,
          user_id: user.id,
          role: 'member',
          status: 'invited',
          guidelines_accepted_at: null,
          invited_by: viewer.userId,
          created_at: now,
          joined_at: null,
        })
        .execute();
    }
    await deps.events.emit(trx, 'communities.member_invited', {
      communityId: community.id,
      userId: user.id,
      invitedBy: viewer.userId,
    });
  });
}

/** Moderators remove members, requests and invitations; only owners remove moderators or owners. */
export async function removeMember(deps: CommunitiesDeps, slug: string, viewer: Viewer, username: string) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  assertModerator(access);
  const { user, m } = await loadTarget(deps, community.id, username);
  if (!m) fail('USER_NOT_FOUND', `${username} is not in this community`);
  if (m.role !== 'member') assertOwner(access);
  if (m.role === 'owner' && (await q.countOwners(deps.db, community.id)) <= 1) {
    fail('OWNER_CANNOT_LEAVE', 'A community needs at least one owner');
  }
  await removeMembership(deps, community.id, user.id, m.status === 'active', viewer.userId);
}

export async function setRole(
  deps: CommunitiesDeps,
  slug: string,
  viewer: Viewer,
  username: string,
  role: Role,
) {
  const { community, access } = await loadVisible(deps, slug, viewer);
  assertOwner(access);
  const { user, m } = await loadTarget(deps, community.id, username);
  if (m?.status !== 'active') fail('NOT_A_MEMBER', `${username} is not an active member`);
  if (m.role === 'owner' && role !== 'owner' && (await q.countOwners(deps.db, community.id)) <= 1) {
    fail('OWNER_CANNOT_LEAVE', 'A community needs at least one owner');
  }
  await inTransaction(deps, async (trx) => {
    await q.updateMembership(trx, community.id, user.id, { role });
    await deps.events.emit(trx, 'communities.role_changed', {
      communityId: community.id,
      userId: user.id,
      role,
      by: viewer.userId,
    });
  });
}

export type { CommunityAccess };
