import { request } from '../../lib/api.ts';

/** Types and calls of the gamification API (points, levels, badges, leaderboards, rewards). */

export type Tier = 'bronze' | 'silver' | 'gold';
export type BoardPeriod = 'week' | 'month' | 'year' | 'all';
export const REASONS = [
  'thread_created',
  'comment_created',
  'reaction_received',
  'accepted_answer',
  'helpful_note',
  'event_attended',
  'daily_visit',
] as const;
export type Reason = (typeof REASONS)[number];

export interface LevelInfo {
  level: number;
  name: string;
  minPoints: number;
  nextAt: number | null;
  flair: string | null;
}
export interface Badge {
  id: number;
  slug: string;
  name: string;
  description: string;
  tier: Tier;
}
export interface HeldBadge extends Badge {
  grantedAt: string;
  manual: boolean;
}
export interface MemberSummary {
  username: string;
  points: number;
  level: LevelInfo;
  perks: { flair: string | null; tags: string[]; earlyEventAccessHours: number };
  streak: { current: number; frozenDays: number[] };
  badges: HeldBadge[];
  balance?: number;
  hideFromLeaderboards?: boolean;
}
export interface MemberLevel {
  username: string;
  points: number;
  level: number;
  levelName: string;
  flair: string | null;
}
export interface BoardRow extends MemberLevel {
  rank: number;
}
export interface Board {
  period: BoardPeriod;
  tag: string | null;
  items: BoardRow[];
  tags: { name: string; points: number }[];
}
export interface ProfileCard {
  community: { slug: string; name: string };
  points: number;
  level: LevelInfo;
  badges: HeldBadge[];
}
export interface LevelDef {
  name: string;
  minPoints: number;
  perks: { flair: string | null; tags: string[]; earlyEventAccessHours: number };
}
export interface Settings {
  weights: Record<Reason, number>;
  dailyCaps: Record<Reason, number | null>;
  ring: { minEach: number; windowDays: number };
  levels: LevelDef[];
}
export type RuleKind =
  | 'manual'
  | 'guidelines'
  | 'reacted_replies'
  | 'threads'
  | 'comments'
  | 'accepted_answers'
  | 'helpful_notes'
  | 'events_attended'
  | 'points'
  | 'streak'
  | 'welcomed';
export interface BadgeRule {
  kind: RuleKind;
  threshold?: number;
  minReactors?: number;
}
export interface CommunityBadge extends Badge {
  rule: BadgeRule;
  isDefault: boolean;
  enabled: boolean;
  holders: number;
}
export interface UnseenBadge {
  id: number;
  community: { slug: string; name: string };
  badge: Badge;
  grantedAt: string;
}
export type RewardKind = 'content' | 'seat' | 'promo_code';
export interface Reward {
  id: number;
  kind: RewardKind;
  title: string;
  description: string;
  costPoints: number;
  requiredBadge: { id: number; slug: string; name: string; tier: Tier } | null;
  minLevel: number | null;
  minLevelName: string | null;
  stock: number | null;
  perMemberLimit: number | null;
  active: boolean;
  redeemed: number;
  mine: { redemptions: number; canRedeem: boolean; reason: string | null } | null;
  hasSecret?: boolean;
}
export interface Redemption {
  id: number;
  rewardId: number;
  kind: RewardKind;
  title: string;
  pointsSpent: number;
  code: string | null;
  secret: string | null;
  createdAt: string;
}
export interface LogEntry {
  id: number;
  action: string;
  actor: string | null;
  target: string | null;
  badge: string | null;
  reward: string | null;
  reason: string;
  createdAt: string;
}
export interface NewReward {
  kind: RewardKind;
  title: string;
  description?: string;
  costPoints: number;
  stock?: number | null;
  perMemberLimit?: number | null;
  minLevel?: number | null;
  requiredBadgeId?: number | null;
  secret?: string | null;
  codes?: string[];
}

const enc = encodeURIComponent;
const c = (slug: string) => `/communities/${enc(slug)}`;

export const gamification = {
  summary: (slug: string, username: string) =>
    request<MemberSummary>('GET', `${c(slug)}/members/${enc(username)}/gamification`),
  levels: (slug: string, usernames: string[]) =>
    request<{ items: MemberLevel[] }>(
      'GET',
      `${c(slug)}/member-levels?usernames=${usernames.map(enc).join(',')}`,
    ),
  board: (slug: string, q: { period: BoardPeriod; tag?: string }) =>
    request<Board>(
      'GET',
      `${c(slug)}/leaderboard?period=${q.period}&limit=50${q.tag ? `&tag=${enc(q.tag)}` : ''}`,
    ),
  profile: (username: string) =>
    request<{ username: string; communities: ProfileCard[] }>('GET', `/users/${enc(username)}/gamification`),
  setHidden: (slug: string, hideFromLeaderboards: boolean) =>
    request<{ hideFromLeaderboards: boolean }>('PATCH', `${c(slug)}/me/gamification`, {
      hideFromLeaderboards,
    }),
  settings: (slug: string) => request<Settings>('GET', `${c(slug)}/gamification/settings`),
  saveSettings: (slug: string, patch: Partial<Settings>) =>
    request<Settings>('PATCH', `${c(slug)}/gamification/settings`, patch),
  log: (slug: string) => request<{ items: LogEntry[] }>('GET', `${c(slug)}/gamification/log?limit=30`),
  badges: (slug: string) => request<{ items: CommunityBadge[] }>('GET', `${c(slug)}/badges`),
  updateBadge: (slug: string, id: number, patch: { enabled?: boolean; name?: string; tier?: Tier }) =>
    request<CommunityBadge>('PATCH', `${c(slug)}/badges/${id}`, patch),
  grant: (slug: string, username: string, badgeId: number, reason: string) =>
    request<{ ok: boolean }>('POST', `${c(slug)}/members/${enc(username)}/badges`, { badgeId, reason }),
  revoke: (slug: string, username: string, badgeId: number, reason: string) =>
    request<{ ok: boolean }>(
      'DELETE',
      `${c(slug)}/members/${enc(username)}/badges/${badgeId}?reason=${enc(reason)}`,
    ),
  unseen: () => request<{ items: UnseenBadge[] }>('GET', '/me/badges/unseen'),
  seen: (ids: number[]) => request<{ acknowledged: number }>('POST', '/me/badges/seen', { ids }),
  rewards: (slug: string) =>
    request<{ balance: number | null; items: Reward[] }>('GET', `${c(slug)}/rewards`),
  createReward: (slug: string, body: NewReward) => request<Reward>('POST', `${c(slug)}/rewards`, body),
  updateReward: (slug: string, id: number, body: { active?: boolean }) =>
    request<Reward>('PATCH', `${c(slug)}/rewards/${id}`, body),
  redeem: (slug: string, id: number) =>
    request<{ redemption: Redemption; balance: number }>('POST', `${c(slug)}/rewards/${id}/redeem`),
  myRedemptions: (slug: string) =>
    request<{ balance: number; items: Redemption[] }>('GET', `${c(slug)}/me/redemptions`),
};
