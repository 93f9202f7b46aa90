import type { Db } from '../db/index.ts';
import type { CommunitiesTable, MembershipStatus, Role } from '../db/schema.ts';
import type { Viewer } from './auth.ts';
import { fail } from './errors.ts';

/**
 * The one authorization helper every module uses (DESIGN rule 4). It answers
 * "what may this viewer do in this community", from the membership row.
 * Private communities are invisible (404, never 403) to anyone who is not an
 * active or invited member, so their existence does not leak.
 */
export interface CommunityAccess {
  communityId: number;
  visibility: CommunitiesTable['visibility'];
  role: Role | null;
  status: MembershipStatus | null;
  /** May see the community's about page. */
  canSeeCommunity: boolean;
  /** May read threads and comments. */
  canRead: boolean;
  /** Active member: may post, comment, react. */
  isMember: boolean;
  /** Moderator or owner. */
  isModerator: boolean;
  isOwner: boolean;
}

export async function communityAccess(
  db: Db,
  community: { id: number; visibility: CommunitiesTable['visibility'] },
  viewer: Viewer | null,
): Promise<CommunityAccess> {
  const m = viewer
    ? await db
        .selectFrom('memberships')
        .select(['role', 'status'])
        .where('community_id', '=', community.id)
        .where('user_id', '=', viewer.userId)
        .executeTakeFirst()
    : undefined;
  const active = m?.status === 'active';
  const admin = viewer?.isAdmin ?? false;
  const isPublic = community.visibility === 'public';
  return {
    communityId: community.id,
    visibility: community.visibility,
    role: active ? m!.role : null,
    status: m?.status ?? null,
    // Invited and pending members (a request made while it was public) may see the about page, not the content.
    canSeeCommunity: isPublic || active || m?.status === 'invited' || m?.status === 'pending' || admin,
    canRead: isPublic || active || admin,
    isMember: active,
    isModerator: (active && (m!.role === 'moderator' || m!.role === 'owner')) || admin,
    isOwner: (active && m!.role === 'owner') || admin,
  };
}

/** Site admins act as moderators everywhere; they are created with `hearth admin create-user --admin`. */
export function assertMember(access: CommunityAccess): void {
  if (!access.isMember && !access.isModerator) fail('NOT_A_MEMBER', 'Join this community to do this');
}

export function assertModerator(access: CommunityAccess): void {
  if (!access.isModerator) fail('FORBIDDEN', 'Only moderators of this community can do this');
}

export function assertOwner(access: CommunityAccess): void {
  if (!access.isOwner) fail('FORBIDDEN', 'Only owners of this community can do this');
}
