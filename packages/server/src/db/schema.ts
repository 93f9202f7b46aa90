import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Conventions: integer ids, timestamps as integer
 * milliseconds since the epoch (UTC) so date arithmetic is the same integer
 * math on SQLite and PostgreSQL, booleans as 0/1 integers, JSON as text.
 */
export interface DB {
  users: UsersTable;
  user_interests: { user_id: number; tag_id: number };
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  communities: CommunitiesTable;
  memberships: MembershipsTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  revisions: RevisionsTable;
  reactions: ReactionsTable;
  mentions: MentionsTable;
  tags: { id: Generated<number>; name: string; created_at: number };
  thread_tags: { thread_id: number; tag_id: number; community_id: number };
  outbox: OutboxTable;
  outbox_handled: { event_id: number; handler: string; handled_at: number };
  job_leases: { name: string; holder: string; locked_until: number };
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string | null;
  display_name: string;
  bio: string;
  avatar_url: string | null;
  is_admin: number;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  account_key: string;
  ip: string;
  success: number;
  created_at: number;
}

export type Visibility = 'public' | 'private';
export type JoinPolicy = 'open' | 'request' | 'invite';
export type Role = 'owner' | 'moderator' | 'member';
export type MembershipStatus = 'active' | 'pending' | 'invited';

export interface CommunitiesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  visibility: Visibility;
  join_policy: JoinPolicy;
  guidelines: string;
  created_by: number;
  member_count: number;
  thread_count: number;
  created_at: number;
  updated_at: number;
}

export interface MembershipsTable {
  community_id: number;
  user_id: number;
  role: Role;
  status: MembershipStatus;
  guidelines_accepted_at: number | null;
  invited_by: number | null;
  created_at: number;
  joined_at: number | null;
}

export interface ThreadsTable {
  id: Generated<number>;
  community_id: number;
  author_id: number;
  title: string;
  body: string;
  body_html: string;
  excerpt: string;
  score: number;
  up_count: number;
  down_count: number;
  reaction_counts: string;
  comment_count: number;
  hot_rank: number;
  pinned: number;
  locked: number;
  created_at: number;
  edited_at: number | null;
  last_comment_at: number | null;
  deleted_at: number | null;
  deleted_by: number | null;
}

export interface CommentsTable {
  id: Generated<number>;
  thread_id: number;
  community_id: number;
  parent_id: number | null;
  author_id: number;
  depth: number;
  path: string;
  body: string;
  body_html: string;
  score: number;
  up_count: number;
  down_count: number;
  reaction_counts: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  deleted_by: number | null;
}

export type TargetType = 'thread' | 'comment';

export interface RevisionsTable {
  id: Generated<number>;
  community_id: number;
  target_type: TargetType;
  target_id: number;
  title: string | null;
  body: string;
  edited_by: number;
  created_at: number;
}

export interface ReactionsTable {
  id: Generated<number>;
  community_id: number;
  target_type: TargetType;
  target_id: number;
  user_id: number;
  kind: string;
  created_at: number;
}

export interface MentionsTable {
  target_type: TargetType;
  target_id: number;
  community_id: number;
  user_id: number;
  created_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  type: string;
  payload: string;
  created_at: number;
  available_at: number;
  attempts: number;
  dispatched_at: number | null;
  dead_at: number | null;
  last_error: string | null;
}
