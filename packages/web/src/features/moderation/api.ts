import { type Page, request } from '../../lib/api.ts';
import { toQuery } from '../../lib/query.ts';

/**
 * Issue 6 (server module `moderation`): guidelines versions, reports, review queues,
 * actions and appeals, automatic moderation, trust levels, the public log, context notes.
 * Types follow the OpenAPI document (moderation.schema.ts).
 */
export const REPORT_REASONS = [
  ['spam', 'Spam or advertising'],
  ['harassment', 'Harassment'],
  ['hate', 'Hate'],
  ['misinformation', 'Misinformation'],
  ['off_topic', 'Off topic'],
  ['inappropriate', 'Inappropriate'],
  ['breaks_rule', 'Breaks a rule of the guidelines'],
  ['other', 'Something else'],
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number][0];
export type ReportTarget = 'thread' | 'comment' | 'user';

export interface Rule {
  number: number;
  text: string;
}
export interface Guidelines {
  version: number;
  body: string;
  rules: Rule[];
  createdAt: string;
  me: { acceptedVersion: number; reacceptRequired: boolean } | null;
}

export interface Person {
  id: number;
  username: string;
  displayName: string;
}
export interface CitedRule {
  number: number;
  version: number | null;
  text: string | null;
}
export interface Suggestion {
  action: string;
  durationHours: number | null;
  priorSteps: number;
}
export interface QueueItem {
  id: number;
  queue: 'community' | 'site';
  community: string | null;
  status: string;
  held: boolean;
  score: number;
  reportCount: number;
  reasons: Record<string, number>;
  target: {
    type: string;
    id: number;
    threadId: number | null;
    title: string | null;
    body: string | null;
    deleted: boolean;
    pending: boolean;
    locked: boolean;
  };
  author: Person | null;
  reports: {
    id: number;
    source: string;
    reason: string;
    rule: CitedRule | null;
    note: string;
    weight: number;
    reporter: Person | null;
    createdAt: string;
  }[];
  authorRecord: {
    counts: Record<string, number>;
    activeSanction: { kind: string; expiresAt: string | null } | null;
    suggested: Suggestion;
  } | null;
  createdAt: string;
  updatedAt: string;
  resolution: string | null;
  resolvedBy: Person | null;
  resolvedAt: string | null;
}

export const ACTIONS = ['approve', 'remove', 'lock', 'warn', 'mute', 'ban', 'suspend', 'escalate'] as const;
export type ActionKind = (typeof ACTIONS)[number];
export interface ActBody {
  action: ActionKind;
  reason?: string;
  ruleNumber?: number;
  /** mute / ban / suspend; null: permanent (a mute without one follows the ladder). */
  durationHours?: number | null;
}
export interface ActResult {
  actionIds: number[];
  itemId: number | null;
  resolution: string;
}

export interface Appeal {
  id: number;
  status: string;
  body: string;
  member: string | null;
  createdAt: string;
  action: {
    id: number;
    kind: string;
    reason: string;
    moderator: string | null;
    targetType: string | null;
    targetId: number | null;
    createdAt: string;
    expiresAt: string | null;
  };
  decidedBy: string | null;
  decisionNote: string;
  decidedAt: string | null;
  canDecide: boolean;
}

export interface TargetRef {
  type: string;
  id: number | null;
}
export interface ModlogEntry {
  id: number;
  action: string;
  createdAt: string;
  expiresAt: string | null;
  revoked: boolean;
  reason: string;
  rule: CitedRule | null;
  target: TargetRef | null;
  member: string | null;
  moderator: string | null;
}
export interface Modlog extends Page<ModlogEntry> {
  moderatorsShown: boolean;
}
export interface MyAction {
  id: number;
  action: string;
  community: string | null;
  reason: string;
  rule: CitedRule | null;
  target: TargetRef | null;
  createdAt: string;
  expiresAt: string | null;
  active: boolean;
  revoked: boolean;
  appeal: { id: number; status: string | null } | null;
}
export interface MemberRecord {
  username: string;
  activeSanction: { id: number; kind: string; expiresAt: string | null } | null;
  suggested: Suggestion;
  history: {
    id: number;
    action: string;
    reason: string;
    rule: CitedRule | null;
    moderator: string | null;
    createdAt: string;
    expiresAt: string | null;
    revoked: boolean;
  }[];
}

export type WordAction = 'block' | 'require_approval' | 'flag' | 'censor';
export interface WatchedWord {
  id: number;
  pattern: string;
  regex: boolean;
  wholeWord: boolean;
  action: WordAction;
  replacement: string | null;
}
export interface TestResult {
  blockedBy: WatchedWord | null;
  requireApproval: WatchedWord[];
  flag: WatchedWord[];
  censored: string;
  spamScore: number;
  links: number;
  images: number;
  mentions: number;
}

/** The whole settings document (server defaults merged with the community's changes). */
export interface ModerationSettings {
  modlogShowModerators: boolean;
  trust: {
    tl1: Record<string, number>;
    tl2: Record<string, number>;
    tl3: Record<string, number>;
  };
  unlocks: Record<string, number>;
  automod: Record<string, number>;
}
export type SettingsPatch = {
  modlogShowModerators?: boolean;
  trust?: Partial<Record<'tl1' | 'tl2' | 'tl3', Record<string, number>>>;
  unlocks?: Record<string, number>;
  automod?: Record<string, number>;
};

export interface Unlocks {
  maxLinksPerPost: number | null;
  maxImagesPerPost: number | null;
  maxMentionsPerPost: number | null;
  maxPostsPerHour: number | null;
  directMessages: boolean;
  editWikiPosts: boolean;
  writeContextNotes: boolean;
  rateContextNotes: boolean;
  flagWeight: number;
}
export interface MemberTrust {
  username: string;
  level: number;
  manual: boolean;
  since: string;
  unlocks: Unlocks;
  /** The numbers behind the level: the member and moderators only. */
  stats: Record<string, unknown> | null;
}

export type Helpful = 'yes' | 'somewhat' | 'no';
export interface ContextNote {
  id: number;
  targetType: 'thread' | 'comment';
  targetId: number;
  threadId: number;
  body: string;
  author: string | null;
  status: 'needs_more_ratings' | 'helpful' | 'not_helpful';
  shown: boolean;
  ratingCount: number;
  intercept: number | null;
  factor: number | null;
  myRating: number | null;
  canRate: boolean;
  createdAt: string;
  scoredAt: string | null;
}
export interface NoteToRate extends ContextNote {
  thread: { id: number; title: string };
}

const enc = encodeURIComponent;
const c = (slug: string) => `/communities/${enc(slug)}`;
type PageQuery = { cursor?: string | null; limit?: number };

export const modApi = {
  // guidelines
  guidelines: (slug: string) => request<Guidelines>('GET', `${c(slug)}/guidelines`),
  acceptGuidelines: (slug: string, version: number) =>
    request<{ acceptedVersion: number; reacceptRequired: boolean }>('POST', `${c(slug)}/guidelines/accept`, {
      version,
    }),

  // reports, queues, actions, appeals
  report: (body: {
    targetType: ReportTarget;
    targetId: number;
    reason: ReportReason;
    ruleNumber?: number;
    note?: string;
    community?: string;
  }) => request<{ id: number; itemId: number; weight: number }>('POST', '/reports', body),
  queue: (slug: string | null, q: PageQuery = {}) =>
    request<Page<QueueItem>>(
      'GET',
      `${slug === null ? '/moderation' : `${c(slug)}/moderation`}/queue${toQuery(q)}`,
    ),
  act: (itemId: number, body: ActBody) =>
    request<ActResult>('POST', `/moderation/items/${itemId}/actions`, body),
  actOn: (slug: string, body: ActBody & { targetType: ReportTarget; targetId: number }) =>
    request<ActResult>('POST', `${c(slug)}/moderation/actions`, body),
  revoke: (actionId: number, note = '') =>
    request<{ ok: boolean }>('POST', `/moderation/actions/${actionId}/revoke`, { note }),
  appeal: (actionId: number, body: string) =>
    request<{ id: number; status: string }>('POST', `/moderation/actions/${actionId}/appeal`, { body }),
  appeals: (slug: string | null, q: PageQuery & { status?: 'open' | 'decided' } = {}) =>
    request<Page<Appeal>>(
      'GET',
      `${slug === null ? '/moderation' : `${c(slug)}/moderation`}/appeals${toQuery(q)}`,
    ),
  decide: (appealId: number, decision: 'uphold' | 'overturn', note?: string) =>
    request<{ id: number; status: string }>('POST', `/moderation/appeals/${appealId}/decision`, {
      decision,
      ...(note?.trim() && { note: note.trim() }),
    }),
  memberRecord: (slug: string, username: string) =>
    request<MemberRecord>('GET', `${c(slug)}/members/${enc(username)}/moderation`),
  modlog: (slug: string, q: PageQuery = {}) => request<Modlog>('GET', `${c(slug)}/modlog${toQuery(q)}`),
  myModeration: (q: PageQuery = {}) => request<Page<MyAction>>('GET', `/me/moderation${toQuery(q)}`),

  // settings and automatic moderation
  settings: (slug: string) => request<ModerationSettings>('GET', `${c(slug)}/moderation/settings`),
  saveSettings: (slug: string, patch: SettingsPatch) =>
    request<ModerationSettings>('PATCH', `${c(slug)}/moderation/settings`, patch),
  words: (slug: string) => request<{ items: WatchedWord[] }>('GET', `${c(slug)}/moderation/watched-words`),
  addWord: (
    slug: string,
    body: { pattern: string; regex?: boolean; wholeWord?: boolean; action: WordAction; replacement?: string },
  ) => request<WatchedWord>('POST', `${c(slug)}/moderation/watched-words`, body),
  removeWord: (slug: string, id: number) =>
    request<{ ok: boolean }>('DELETE', `${c(slug)}/moderation/watched-words/${id}`),
  testText: (slug: string, text: string) =>
    request<TestResult>('POST', `${c(slug)}/moderation/test`, { text }),

  // trust levels
  trust: (slug: string, username: string) =>
    request<MemberTrust>('GET', `${c(slug)}/members/${enc(username)}/trust`),
  setTrust: (slug: string, username: string, level: number | null) =>
    request<MemberTrust>('PATCH', `${c(slug)}/members/${enc(username)}/trust`, { level }),
  read: (threadId: number, ms: number, postsRead: number) =>
    request<{ creditedMs: number; postsRead: number }>('POST', `/threads/${threadId}/read`, {
      ms,
      postsRead,
    }),

  // context notes
  notes: (threadId: number) => request<{ items: ContextNote[] }>('GET', `/threads/${threadId}/notes`),
  writeNote: (body: { targetType: 'thread' | 'comment'; targetId: number; body: string }) =>
    request<ContextNote>('POST', '/notes', body),
  rateNote: (id: number, helpful: Helpful) =>
    request<{ noteId: number; value: number }>('POST', `/notes/${id}/ratings`, { helpful }),
  deleteNote: (id: number) => request<{ ok: boolean }>('DELETE', `/notes/${id}`),
  notesToRate: (slug: string, q: PageQuery = {}) =>
    request<Page<NoteToRate>>('GET', `${c(slug)}/notes${toQuery(q)}`),
  scoreNotes: (slug: string) =>
    request<{ notes: number; ratings: number; changed: number; loss: number }>(
      'POST',
      `${c(slug)}/notes/score`,
    ),
};

/** "Rule 2: No self-promotion." (rule texts often end with their own full stop). */
export const ruleText = (r: CitedRule) =>
  `Rule ${r.number}${r.text ? `: ${r.text.replace(/[.\s]+$/, '')}` : ''}.`;

/** Words for what moderators did, in the log and in notices. */
export const ACTION_LABELS: Record<string, string> = {
  approve: 'Approved',
  remove: 'Removed',
  lock: 'Locked',
  unlock: 'Unlocked',
  warn: 'Warned',
  mute: 'Muted',
  ban: 'Banned',
  suspend: 'Suspended',
  escalate: 'Escalated to the site',
  revoke: 'Lifted early',
  restore: 'Restored',
  appeal_upheld: 'Appeal upheld',
  appeal_overturned: 'Appeal granted: undone',
};
export const actionLabel = (k: string) => ACTION_LABELS[k] ?? k;
export const reasonLabel = (r: string): string =>
  (REPORT_REASONS.find(([k]) => k === r)?.[1] as string | undefined) ??
  (
    { watched_word: 'Watched word', cross_posting: 'Same text in several communities' } as Record<
      string,
      string
    >
  )[r] ??
  r;
