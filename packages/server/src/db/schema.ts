import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Conventions: integer ids, timestamps as integer
 * milliseconds since the epoch (UTC) so date arithmetic is the same integer
 * math on SQLite and PostgreSQL, booleans as 0/1 integers, JSON as text.
 */
export interface DB {
  points_ledger: PointsLedgerTable;
  gamification_prefs: {
    community_id: number;
    user_id: number;
    hide_from_leaderboards: number;
    /** Issue 7 (migration 0011): bumped by every redemption; the row redemptions lock. */
    balance_version: Generated<number>;
  };
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
  // issue 4 (migration 0002): feed, ranking, discovery, search
  community_activity: { community_id: number; interactions_month: number; refreshed_at: number };
  follows: FollowsTable;
  mutes: FollowsTable;
  search_docs: SearchDocsTable;
  // issue 10 (migration 0005): importers
  import_map: ImportMapTable;
  imported_accounts: ImportedAccountsTable;
  content_attributions: ContentAttributionsTable;
  // issue 6 (migration 0003): moderation, trust levels, context notes
  guideline_versions: GuidelineVersionsTable;
  guideline_acceptances: { community_id: number; user_id: number; version: number; accepted_at: number };
  moderation_settings: {
    community_id: number;
    settings: string;
    updated_by: number | null;
    updated_at: number;
  };
  review_items: ReviewItemsTable;
  reports: ReportsTable;
  mod_actions: ModActionsTable;
  appeals: AppealsTable;
  watched_words: WatchedWordsTable;
  content_fingerprints: ContentFingerprintsTable;
  trust_levels: TrustLevelsTable;
  thread_reads: ThreadReadsTable;
  visit_days: { community_id: number; user_id: number; day: number };
  context_notes: ContextNotesTable;
  note_ratings: NoteRatingsTable;
  // platform (migration 0006): consent and anonymous visitor keys
  analytics_consent: { user_id: number; granted: number; updated_at: number };
  consent_history: {
    id: Generated<number>;
    user_id: number;
    kind: string;
    granted: number;
    changed_at: number;
  };
  daily_salts: { day: number; salt: string };
  // issue 7 (migration 0011): gamification settings, badges, rewards, log
  gamification_settings: {
    community_id: number;
    settings: string;
    updated_by: number | null;
    updated_at: number;
  };
  badges: BadgesTable;
  member_badges: MemberBadgesTable;
  badge_queue: { community_id: number; user_id: number; queued_at: number };
  gamification_log: GamificationLogTable;
  rewards: RewardsTable;
  reward_redemptions: RewardRedemptionsTable;
  reward_codes: { id: Generated<number>; reward_id: number; code: string; redemption_id: number | null };
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
  /** Issue 4 (migration 0002): Lemmy's active, scaled and controversy ranks, refreshed by content.hot_ranks. */
  active_at: number | null;
  hot_rank_active: Generated<number>;
  scaled_rank: Generated<number>;
  controversy_rank: Generated<number>;
  pinned: number;
  locked: number;
  created_at: number;
  edited_at: number | null;
  last_comment_at: number | null;
  deleted_at: number | null;
  deleted_by: number | null;
  /** Issue 6 (migration 0003): held content is 'pending' until a moderator approves it. */
  status: Generated<ContentStatus>;
  /** Issue 7 (migration 0011): the comment its author (or a moderator) accepted as the answer. */
  accepted_comment_id: Generated<number | null>;
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
  /** Issue 6 (migration 0003): held content is 'pending' until a moderator approves it. */
  status: Generated<ContentStatus>;
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

// --- issue 10 (migration 0005) ---
export interface ImportMapTable {
  community_id: number;
  source: string;
  kind: string;
  source_id: string;
  target_id: number;
}

export interface ImportedAccountsTable {
  user_id: number;
  community_id: number;
  site: string;
  source_user_id: number | null;
  source_account_id: number | null;
  kind: 'member' | 'ghost' | 'voter';
  claimed_at: number | null;
}

export interface ContentAttributionsTable {
  target_type: TargetType;
  target_id: number;
  community_id: number;
  source_name: string;
  source_url: string;
  author_name: string;
  author_url: string | null;
  license: string;
}

/** Issue 7: one row per points award or take-back; unique (source, user_id, reason). */
export interface PointsLedgerTable {
  id: Generated<number>;
  community_id: number;
  user_id: number;
  source: string;
  reason: string;
  points: number;
  created_at: number;
  /** Issue 7 (migration 0011): the thread the points came from (per-tag boards, take-backs). */
  thread_id: number | null;
  /** Issue 7 (migration 0011): who caused the award (the reactor, the acceptor), for ring checks. */
  actor_id: number | null;
}

// --- issue 4 (migration 0002) ---
/** follows (target user or tag) and mutes (target user, community or tag) share this shape. */
export interface FollowsTable {
  user_id: number;
  target_type: 'user' | 'community' | 'tag';
  target_id: number;
  created_at: number;
}

/** One searchable document per thread, comment, community, member; filled by triggers. */
export interface SearchDocsTable {
  id: Generated<number>;
  kind: 'thread' | 'comment' | 'community' | 'member';
  ref_id: number;
  community_id: number | null;
  thread_id: number | null;
  author_id: number | null;
  created_at: number;
  title: string | null;
  body: string;
}

// --- issue 6 (migration 0003): moderation ---
/** 'pending': held for moderator approval; only its author and the community's moderators see it. */
export type ContentStatus = 'visible' | 'pending';

export interface GuidelineVersionsTable {
  id: Generated<number>;
  community_id: number;
  version: number;
  body: string;
  /** JSON array of { number, text }: the numbered rules reports cite. */
  rules: string;
  created_by: number | null;
  created_at: number;
}

export type ReportTargetType = 'thread' | 'comment' | 'user' | 'message';

export interface ReviewItemsTable {
  id: Generated<number>;
  community_id: number | null;
  /** The queue: a community's id, or 0 for the site queue. */
  scope_id: number;
  target_type: ReportTargetType;
  target_id: number;
  target_user_id: number | null;
  status: 'open' | 'resolved';
  held: number;
  score: number;
  report_count: number;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  resolved_by: number | null;
  resolution: string | null;
}

export interface ReportsTable {
  id: Generated<number>;
  item_id: number;
  community_id: number | null;
  reporter_id: number | null;
  source: 'member' | 'automod';
  reason: string;
  rule_number: number | null;
  guideline_version: number | null;
  note: string;
  weight: number;
  status: 'open' | 'agreed' | 'disagreed';
  created_at: number;
}

export interface ModActionsTable {
  id: Generated<number>;
  community_id: number | null;
  kind: string;
  moderator_id: number | null;
  target_type: ReportTargetType | null;
  target_id: number | null;
  target_user_id: number | null;
  item_id: number | null;
  reason: string;
  rule_number: number | null;
  guideline_version: number | null;
  public: number;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_by: number | null;
}

export interface AppealsTable {
  id: Generated<number>;
  action_id: number;
  community_id: number | null;
  user_id: number;
  body: string;
  status: 'open' | 'upheld' | 'overturned';
  decided_by: number | null;
  decision_note: string;
  created_at: number;
  decided_at: number | null;
}

export interface WatchedWordsTable {
  id: Generated<number>;
  community_id: number;
  pattern: string;
  regex: number;
  whole_word: number;
  action: 'block' | 'require_approval' | 'flag' | 'censor';
  replacement: string | null;
  created_by: number | null;
  created_at: number;
}

export interface ContentFingerprintsTable {
  id: Generated<number>;
  community_id: number;
  user_id: number;
  target_type: TargetType;
  target_id: number;
  hash: string;
  created_at: number;
}

export interface TrustLevelsTable {
  community_id: number;
  user_id: number;
  level: number;
  manual_level: number | null;
  promoted_at: number;
  stats: string;
  computed_at: number;
}

export interface ThreadReadsTable {
  user_id: number;
  thread_id: number;
  community_id: number;
  posts_read: number;
  ms: number;
  first_at: number;
  last_at: number;
}

export interface ContextNotesTable {
  id: Generated<number>;
  community_id: number;
  target_type: TargetType;
  target_id: number;
  thread_id: number;
  author_id: number;
  body: string;
  status: 'needs_more_ratings' | 'helpful' | 'not_helpful';
  intercept: number | null;
  factor: number | null;
  rating_count: number;
  created_at: number;
  scored_at: number | null;
  deleted_at: number | null;
}

export interface NoteRatingsTable {
  note_id: number;
  user_id: number;
  community_id: number;
  value: number;
  created_at: number;
}

// --- issue 7 (migration 0011): gamification ---
export type BadgeTier = 'bronze' | 'silver' | 'gold';

export interface BadgesTable {
  id: Generated<number>;
  community_id: number;
  slug: string;
  name: string;
  description: string;
  tier: BadgeTier;
  /** JSON rule object (gamification/badges.rules.ts), `{ "kind": "manual" }` for hand-granted badges. */
  rule: string;
  is_default: number;
  enabled: number;
  created_by: number | null;
  created_at: number;
}

export interface MemberBadgesTable {
  id: Generated<number>;
  badge_id: number;
  community_id: number;
  user_id: number;
  granted_at: number;
  /** The moderator who granted it by hand; null when a rule earned it. */
  granted_by: number | null;
  reason: string;
  revoked_at: number | null;
  revoked_by: number | null;
  /** When the member acknowledged the "badge earned" toast. */
  seen_at: number | null;
}

export interface GamificationLogTable {
  id: Generated<number>;
  community_id: number;
  actor_id: number | null;
  action: string;
  target_user_id: number | null;
  badge_id: number | null;
  reward_id: number | null;
  reason: string;
  created_at: number;
}

export type RewardKind = 'content' | 'seat' | 'promo_code';

export interface RewardsTable {
  id: Generated<number>;
  community_id: number;
  kind: RewardKind;
  title: string;
  description: string;
  cost_points: number;
  required_badge_id: number | null;
  min_level: number | null;
  /** Remaining; null = unlimited. */
  stock: number | null;
  per_member_limit: number | null;
  /** What a redeemer gets to see (exclusive text, seat instructions, a shared promo code). */
  secret: string | null;
  active: number;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface RewardRedemptionsTable {
  id: Generated<number>;
  reward_id: number;
  community_id: number;
  user_id: number;
  points_spent: number;
  code: string | null;
  created_at: number;
}
