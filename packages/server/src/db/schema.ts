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
  thread_tags: {
    thread_id: number;
    tag_id: number;
    community_id: number;
    /** Migration 0015: a copy of the thread's scaled_rank, kept by triggers (home feed walk). */
    scaled_rank: Generated<number>;
  };
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
  // issue 5 (migration 0007): realtime, notifications, direct messages, mail, password resets
  live_events: LiveEventsTable;
  user_presence: { user_id: number; last_active_at: number };
  notifications: NotificationsTable;
  notification_prefs: { user_id: number; type: string; channel: string };
  notification_settings: { user_id: number; digest: string; last_digest_at: number | null };
  community_watches: { user_id: number; community_id: number; created_at: number };
  unsubscribe_tokens: { token_hash: string; user_id: number; type: string; created_at: number };
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  messages: MessagesTable;
  blocks: { blocker_id: number; blocked_id: number; created_at: number };
  messaging_settings: { user_id: number; allow_from: string };
  message_reports: MessageReportsTable;
  mail_outbox: MailOutboxTable;
  password_resets: PasswordResetsTable;
  // issue 8 (migration 0008): analytics rollups and raw reading events; privacy
  analytics_reading: AnalyticsReadingTable;
  analytics_cache: AnalyticsCacheTable;
  analytics_days: AnalyticsDaysTable;
  analytics_read_days: AnalyticsReadDaysTable;
  analytics_visitors: { community_id: number; thread_id: number; day: number; visitor: string };
  analytics_member_activity: AnalyticsMemberActivityTable;
  analytics_members: AnalyticsMembersTable;
  analytics_threads: AnalyticsThreadsTable;
  analytics_thread_days: AnalyticsThreadDaysTable;
  analytics_replies: AnalyticsRepliesTable;
  analytics_state: { community_id: number; rebuilt_at: number; through_event_id: Generated<number> };
  privacy_tombstone: { id: number; user_id: number };
  privacy_erasures: { id: Generated<number>; content: string; erased_at: number };
  // issue 9 (migration 0009): partnerships
  brands: BrandsTable;
  brand_members: { brand_id: number; user_id: number; role: 'owner' | 'manager'; created_at: number };
  creator_profiles: CreatorProfilesTable;
  creator_communities: { user_id: number; community_id: number };
  creator_stats: CreatorStatsTable;
  community_partnership_settings: {
    community_id: number;
    sponsored_allowed: number;
    updated_by: number | null;
    updated_at: number;
  };
  campaigns: CampaignsTable;
  campaign_communities: CampaignCommunitiesTable;
  campaign_creators: CampaignCreatorsTable;
  deliverables: DeliverablesTable;
  sponsored_content: SponsoredContentTable;
  partnership_audit: PartnershipAuditTable;
  tracked_links: TrackedLinksTable;
  link_clicks: LinkClicksTable;
  promo_codes: PromoCodesTable;
  conversions: ConversionsTable;
  conversion_nonces: { brand_id: number; event_id: string; received_at: number };
  conversion_touches: ConversionTouchesTable;
  payouts: PayoutsTable;
  // issue 10 (migration 0010): events, polls, collaborations
  events: EventsTable;
  event_rsvps: EventRsvpsTable;
  event_reminders: { event_id: number; user_id: number; kind: '24h' | '1h'; sent_at: number };
  event_settings: { community_id: number; create_policy: 'moderators' | 'members'; updated_at: number };
  calendar_tokens: { user_id: number; token_hash: string; created_at: number };
  polls: PollsTable;
  poll_options: {
    id: Generated<number>;
    poll_id: number;
    position: number;
    label: string;
    vote_count: number;
  };
  poll_ballots: {
    poll_id: number;
    user_id: number;
    community_id: number;
    option_ids: string;
    created_at: number;
  };
  collaborations: CollaborationsTable;
  thread_crossposts: {
    thread_id: number;
    community_id: number;
    origin_community_id: number;
    collaboration_id: number;
    created_by: number | null;
    created_at: number;
  };
  event_cohosts: {
    event_id: number;
    community_id: number;
    collaboration_id: number;
    created_by: number | null;
    created_at: number;
  };
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
  /** Issue 6 (migration 0012): 1 when members at the editWikiPosts trust level may edit it. */
  wiki: Generated<number>;
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

// --- issue 9 (migration 0009): partnerships ---
export interface BrandsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  website_url: string | null;
  currency: string;
  conversion_secret: string;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface CreatorProfilesTable {
  user_id: number;
  headline: string;
  /** JSON array of tag names. */
  niches: string;
  rate_cents: number | null;
  rate_note: string;
  created_at: number;
  updated_at: number;
}

export interface CreatorStatsTable {
  user_id: number;
  contributions: number;
  engagement: number;
  followers: number;
  engagement_rate: number;
  follower_rate: number | null;
  reach: number;
  sentiment: number | null;
  growth: number | null;
  authenticity: number | null;
  /** JSON: the inputs behind each figure (creators.metrics.ts). */
  details: string;
  computed_at: number;
}

export type CampaignStatus = 'draft' | 'active' | 'closed';
export type AttributionModel = 'last_touch' | 'linear';

export interface CampaignsTable {
  id: Generated<number>;
  brand_id: number;
  title: string;
  brief: string;
  deliverables_brief: string;
  budget_cents: number;
  starts_at: number;
  ends_at: number;
  landing_url: string;
  attribution_model: AttributionModel;
  attribution_window_days: number;
  open_applications: number;
  status: CampaignStatus;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface CampaignCommunitiesTable {
  campaign_id: number;
  community_id: number;
  status: 'pending' | 'approved' | 'rejected';
  note: string;
  requested_at: number;
  decided_by: number | null;
  decided_at: number | null;
}

export type CampaignCreatorStatus = 'invited' | 'applied' | 'accepted' | 'declined';

export interface CampaignCreatorsTable {
  campaign_id: number;
  user_id: number;
  status: CampaignCreatorStatus;
  fee_cents: number;
  message: string;
  created_at: number;
  updated_at: number;
}

export type DeliverableStatus = 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'published';

export interface DeliverablesTable {
  id: Generated<number>;
  campaign_id: number;
  creator_id: number;
  community_id: number;
  kind: 'thread' | 'comment';
  /** For a comment: the thread it goes into. */
  thread_id: number | null;
  title: string;
  body: string;
  status: DeliverableStatus;
  review_note: string;
  /** The published thread or comment. */
  target_id: number | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

export interface SponsoredContentTable {
  target_type: TargetType;
  target_id: number;
  campaign_id: number;
  brand_id: number;
  community_id: number;
  deliverable_id: number | null;
  created_at: number;
  /** Only a site admin removes a label, and it is logged in partnership_audit. */
  removed_at: number | null;
  removed_by: number | null;
  removed_reason: string | null;
}

export interface PartnershipAuditTable {
  id: Generated<number>;
  brand_id: number | null;
  campaign_id: number | null;
  actor_id: number | null;
  action: string;
  detail: string;
  created_at: number;
}

export interface TrackedLinksTable {
  id: Generated<number>;
  code: string;
  campaign_id: number;
  creator_id: number;
  target_url: string;
  created_at: number;
}

export interface LinkClicksTable {
  id: Generated<number>;
  link_id: number;
  campaign_id: number;
  creator_id: number;
  /** Random per click, appended to the brand's URL as hearth_click and sent back with conversions. */
  ref: string;
  /** Only for a signed-in member with analytics consent. */
  user_id: number | null;
  /** Otherwise: anonymousKey (daily salt), never the raw IP. */
  visitor_key: string | null;
  created_at: number;
}

export interface PromoCodesTable {
  id: Generated<number>;
  brand_id: number;
  code: string;
  campaign_id: number;
  creator_id: number;
  created_at: number;
}

export interface ConversionsTable {
  id: Generated<number>;
  brand_id: number;
  order_id: string;
  amount_cents: number;
  occurred_at: number;
  received_at: number;
}

export interface ConversionTouchesTable {
  conversion_id: number;
  campaign_id: number;
  creator_id: number;
  kind: 'click' | 'promo';
  touched_at: number;
}

export interface PayoutsTable {
  id: Generated<number>;
  campaign_id: number;
  creator_id: number;
  amount_cents: number;
  status: 'pending' | 'paid' | 'cancelled';
  paid_on: number | null;
  note: string;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

// issue 10 (migration 0010): events, polls, collaborations
export type RsvpStatus = 'going' | 'maybe' | 'not_going' | 'waitlisted';

export interface EventsTable {
  id: Generated<number>;
  community_id: number;
  created_by: number | null;
  title: string;
  description: string;
  mode: 'online' | 'in_person';
  location: string;
  online_url: string | null;
  starts_at: number;
  ends_at: number;
  time_zone: string;
  capacity: number | null;
  going_count: Generated<number>;
  maybe_count: Generated<number>;
  waitlist_count: Generated<number>;
  waitlist_seq: Generated<number>;
  version: Generated<number>;
  cancelled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface EventRsvpsTable {
  event_id: number;
  user_id: number;
  community_id: number;
  status: RsvpStatus;
  waitlist_pos: number | null;
  checked_in_at: number | null;
  checked_in_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface PollsTable {
  id: Generated<number>;
  thread_id: number;
  community_id: number;
  author_id: number | null;
  question: string;
  max_choices: number;
  closes_at: number | null;
  voter_count: Generated<number>;
  created_at: number;
}

export interface CollaborationsTable {
  id: Generated<number>;
  community_low: number;
  community_high: number;
  proposer_community: number;
  status: 'proposed' | 'active' | 'ended';
  proposed_by: number | null;
  accepted_by: number | null;
  ended_by: number | null;
  created_at: number;
  accepted_at: number | null;
  ended_at: number | null;
}

// --- issue 8 (migration 0008): analytics ---
/** Migration 0016: one row per ingested batch, community and UTC day (raw reading, kept for the retention period). */
export interface AnalyticsReadingTable {
  id: Generated<number>;
  community_id: number;
  /** Only with the member's consent. */
  user_id: number | null;
  /** The daily-salted key when there is no consent (or no account). */
  visitor: string | null;
  day: number;
  /** End of the batch's last span. */
  created_at: number;
  /** Number of events in `events`. */
  n: number;
  /** JSON `[[threadId, ms, endedAt], ...]`; a view has ms 0. */
  events: string;
}

/** Migration 0016: computed dashboard facts, valid while the row exists (see analytics/README.md). */
export interface AnalyticsCacheTable {
  community_id: number;
  kind: string;
  key: number;
  data: string;
}

type Counter = Generated<number>;

export interface AnalyticsDaysTable {
  community_id: number;
  day: number;
  threads: Counter;
  comments: Counter;
  reactions: Counter;
  new_members: Counter;
  left_members: Counter;
  sentiment_n: Counter;
  sentiment_sum: Counter;
  positive: Counter;
  negative: Counter;
  mod_actions: Counter;
  reports: Counter;
}

export interface AnalyticsReadDaysTable {
  community_id: number;
  day: number;
  views: Counter;
  reads: Counter;
  read_ms: Counter;
  readers: Counter;
}

export type Grain = 'd' | 'w' | 'm';

export interface AnalyticsMemberActivityTable {
  community_id: number;
  grain: Grain;
  bucket: number;
  user_id: number;
  threads: Counter;
  comments: Counter;
  reactions: Counter;
  replies_received: Counter;
  read_ms: Counter;
  views: Counter;
}

export interface AnalyticsMembersTable {
  community_id: number;
  user_id: number;
  joined_at: number;
  join_week: number;
  first_contribution_at: number | null;
  left_at: number | null;
}

export interface AnalyticsThreadsTable {
  thread_id: number;
  community_id: number;
  author_id: number;
  created_at: number;
  replies: Counter;
  repliers: Counter;
  max_depth: Generated<number>;
  first_response_at: number | null;
  reactions: Counter;
  deleted: Counter;
}

export interface AnalyticsThreadDaysTable {
  community_id: number;
  day: number;
  thread_id: number;
  views: Counter;
  reads: Counter;
  read_ms: Counter;
  readers: Counter;
  comments: Counter;
}

export interface AnalyticsRepliesTable {
  community_id: number;
  day: number;
  to_user_id: number;
  from_user_id: number;
  n: Counter;
}

// --- issue 5 (migration 0007): realtime, notifications, direct messages, mail ---
export interface LiveEventsTable {
  id: Generated<number>;
  /** "thread:12", "community:3", "user:7". */
  channel: string;
  kind: string;
  payload: string;
  created_at: number;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  type: string;
  community_id: number | null;
  thread_id: number | null;
  target_type: string | null;
  target_id: number | null;
  actor_id: number | null;
  actor_count: Generated<number>;
  /** Unread notifications with the same key are one (reactions to a post, messages of a conversation). */
  group_key: string | null;
  /** JSON: { actors: number[], kind?, reason?, conversationId? } — never words of the content. */
  data: Generated<string>;
  created_at: number;
  updated_at: number;
  read_at: number | null;
  emailed_at: number | null;
}

export interface ConversationsTable {
  id: Generated<number>;
  kind: 'direct' | 'group';
  direct_key: string | null;
  title: string | null;
  created_by: number | null;
  created_at: number;
  last_message_at: number | null;
}

export interface ConversationMembersTable {
  conversation_id: number;
  user_id: number;
  joined_at: number;
  /** The newest message id the member has read. */
  last_read_id: number;
  left_at: number | null;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: number;
  sender_id: number;
  body: string;
  body_html: string;
  created_at: number;
  deleted_at: number | null;
}

export interface MessageReportsTable {
  report_id: number;
  message_id: number;
  conversation_id: number;
  sender_id: number | null;
  reporter_id: number | null;
  body: string;
  sent_at: number;
}

export interface MailOutboxTable {
  id: Generated<number>;
  user_id: number | null;
  kind: string;
  to_address: string;
  subject: string;
  text: string;
  html: string;
  headers: Generated<string>;
  created_at: number;
  available_at: number;
  attempts: Generated<number>;
  sent_at: number | null;
  dead_at: number | null;
  last_error: string | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
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
