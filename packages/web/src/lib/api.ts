/**
 * Typed client for Hearth's REST API (/api/v1), written by hand against the OpenAPI
 * document (GET /api/v1/openapi.json) and docs/API.md. The browser authenticates with
 * the session cookie; every write echoes the readable `hearth_csrf` cookie in the
 * X-CSRF-Token header (double submit). Every failure becomes an ApiError carrying the
 * server's `{ error: { code, message } }`, so the page can show that message where the
 * action happened.
 */

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  interests: string[];
  createdAt: string;
}
export interface Me extends PublicUser {
  email: string;
  isAdmin: boolean;
  csrfToken: string | null;
}
export interface ApiToken {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface CreatedToken extends ApiToken {
  token: string;
}

export type Visibility = 'public' | 'private';
export type JoinPolicy = 'open' | 'request' | 'invite';
export type Role = 'owner' | 'moderator' | 'member';
export type MemberStatus = 'active' | 'pending' | 'invited';

export interface Membership {
  role: Role;
  status: MemberStatus;
  guidelinesAcceptedAt: string | null;
}
export interface Community {
  id: number;
  slug: string;
  name: string;
  description: string;
  visibility: Visibility;
  joinPolicy: JoinPolicy;
  guidelines: string;
  memberCount: number;
  threadCount: number;
  createdAt: string;
  membership: Membership | null;
}
export interface Member {
  userId: number;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  role: Role;
  status: MemberStatus;
  joinedAt: string | null;
  guidelinesAcceptedAt: string | null;
}

export interface Author {
  id: number;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}
export const REACTION_KINDS = ['like', 'love', 'insightful', 'funny', 'celebrate', 'downvote'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
export type ReactionCounts = Partial<Record<string, number>>;

/** Disclosure label of sponsored content (issue 9); shown as "Sponsored · <brand>". */
export type Sponsored = { campaignId: number; brand: { slug: string; name: string } } | null;

export interface ThreadSummary {
  id: number;
  community: { id: number; slug: string; name: string };
  author: Author;
  title: string;
  excerpt: string;
  tags: string[];
  score: number;
  reactionCounts: ReactionCounts;
  myReaction: string | null;
  commentCount: number;
  pinned: boolean;
  locked: boolean;
  deleted: boolean;
  /** Held for moderator approval (issue 6): only its author and moderators see it. */
  pending?: boolean;
  createdAt: string;
  editedAt: string | null;
  lastCommentAt: string | null;
  sponsored?: Sponsored;
  /** Issue 7: the comment marked as the accepted answer. */
  acceptedCommentId?: number | null;
  /** Issue 6: a wiki, which members at the community's `editWikiPosts` trust level may edit. */
  wiki?: boolean;
}
export interface Thread extends ThreadSummary {
  body: string;
  bodyHtml: string;
  mentions: string[];
}
export interface Comment {
  id: number;
  threadId: number;
  parentId: number | null;
  depth: number;
  author: Author;
  body: string | null;
  bodyHtml: string | null;
  mentions: string[];
  score: number;
  reactionCounts: ReactionCounts;
  myReaction: string | null;
  deleted: boolean;
  /** Held for moderator approval (issue 6): only its author and moderators see it. */
  pending?: boolean;
  createdAt: string;
  editedAt: string | null;
  sponsored?: Sponsored;
}
export interface ReactionResult {
  score: number;
  reactionCounts: ReactionCounts;
  myReaction: string | null;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface ThreadPage extends Page<ThreadSummary> {
  pinned: ThreadSummary[];
}

/** hot, new, top: issue 3; active, scaled, controversial, most_comments: issue 4 (Lemmy's ranks). */
export type Sort = 'hot' | 'new' | 'top' | 'active' | 'scaled' | 'controversial' | 'most_comments';
export type Period = 'day' | 'week' | 'month' | 'year' | 'all';

/** An API failure: the server's code and message, or NETWORK when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const CSRF_COOKIE = 'hearth_csrf';

export function readCookie(name: string, cookies = typeof document === 'undefined' ? '' : document.cookie) {
  for (const part of cookies.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined | null>;

function qs(query: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // JSON bodies only; a POST without a body sends no content type (an empty JSON body is a 400).
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
      err?.field,
    );
  }
  return data as T;
}

const enc = encodeURIComponent;
type Ok = { ok: boolean };

export const api = {
  // accounts
  signup: (body: { username: string; email: string; password: string; displayName?: string }) =>
    request<{ user: Me }>('POST', '/auth/signup', body),
  login: (body: { login: string; password: string }) => request<{ user: Me }>('POST', '/auth/login', body),
  logout: () => request<Ok>('POST', '/auth/logout'),
  me: () => request<Me>('GET', '/me'),
  updateMe: (body: { displayName?: string; bio?: string; avatarUrl?: string | null; interests?: string[] }) =>
    request<Me>('PATCH', '/me', body),
  tokens: () => request<{ items: ApiToken[] }>('GET', '/me/tokens'),
  createToken: (name: string) => request<CreatedToken>('POST', '/me/tokens', { name }),
  revokeToken: (id: number) => request<Ok>('DELETE', `/me/tokens/${id}`),
  user: (username: string) => request<PublicUser>('GET', `/users/${enc(username)}`),

  // communities
  communities: (q: { cursor?: string | null; limit?: number; mine?: boolean } = {}) =>
    request<Page<Community>>('GET', `/communities${qs(q)}`),
  community: (slug: string) => request<Community>('GET', `/communities/${enc(slug)}`),
  createCommunity: (body: {
    slug: string;
    name: string;
    description?: string;
    visibility?: Visibility;
    joinPolicy?: JoinPolicy;
    guidelines?: string;
  }) => request<Community>('POST', '/communities', body),
  updateCommunity: (
    slug: string,
    body: Partial<{
      name: string;
      description: string;
      visibility: Visibility;
      joinPolicy: JoinPolicy;
      guidelines: string;
    }>,
  ) => request<Community>('PATCH', `/communities/${enc(slug)}`, body),
  join: (slug: string, acceptGuidelines: boolean) =>
    request<{ status: MemberStatus; role: Role }>('POST', `/communities/${enc(slug)}/join`, {
      acceptGuidelines,
    }),
  leave: (slug: string) => request<Ok>('POST', `/communities/${enc(slug)}/leave`),
  members: (slug: string, q: { cursor?: string | null; limit?: number; status?: MemberStatus } = {}) =>
    request<Page<Member>>('GET', `/communities/${enc(slug)}/members${qs(q)}`),
  invite: (slug: string, username: string) =>
    request<Ok>('POST', `/communities/${enc(slug)}/invites`, { username }),
  approve: (slug: string, username: string) =>
    request<Ok>('POST', `/communities/${enc(slug)}/members/${enc(username)}/approve`),
  setRole: (slug: string, username: string, role: Role) =>
    request<Ok>('PATCH', `/communities/${enc(slug)}/members/${enc(username)}`, { role }),
  removeMember: (slug: string, username: string) =>
    request<Ok>('DELETE', `/communities/${enc(slug)}/members/${enc(username)}`),
  /** Daily visit for gamification streaks (active members; answered once per UTC day). */
  visit: (slug: string) => request<unknown>('POST', `/communities/${enc(slug)}/visit`),

  // content
  threads: (
    slug: string,
    q: { sort?: Sort; period?: Period; tag?: string; cursor?: string | null; limit?: number } = {},
  ) => request<ThreadPage>('GET', `/communities/${enc(slug)}/threads${qs(q)}`),
  createThread: (slug: string, body: { title: string; body: string; tags?: string[] }) =>
    request<Thread>('POST', `/communities/${enc(slug)}/threads`, body),
  thread: (id: number) => request<Thread>('GET', `/threads/${id}`),
  updateThread: (
    id: number,
    body: Partial<{
      title: string;
      body: string;
      tags: string[];
      pinned: boolean;
      locked: boolean;
      wiki: boolean;
    }>,
  ) => request<Thread>('PATCH', `/threads/${id}`, body),
  deleteThread: (id: number) => request<Ok>('DELETE', `/threads/${id}`),
  comments: (threadId: number, q: { cursor?: string | null; limit?: number } = {}) =>
    request<Page<Comment>>('GET', `/threads/${threadId}/comments${qs(q)}`),
  createComment: (threadId: number, body: { body: string; parentId?: number | null }) =>
    request<Comment>('POST', `/threads/${threadId}/comments`, body),
  updateComment: (id: number, body: string) => request<Comment>('PATCH', `/comments/${id}`, { body }),
  deleteComment: (id: number) => request<Ok>('DELETE', `/comments/${id}`),
  react: (target: 'threads' | 'comments', id: number, kind: ReactionKind) =>
    request<ReactionResult>('POST', `/${target}/${id}/reactions`, { kind }),
  unreact: (target: 'threads' | 'comments', id: number) =>
    request<ReactionResult>('DELETE', `/${target}/${id}/reactions`),
  acceptAnswer: (threadId: number, commentId: number) =>
    request<Thread>('PUT', `/threads/${threadId}/accepted-answer`, { commentId }),
  unacceptAnswer: (threadId: number) => request<Thread>('DELETE', `/threads/${threadId}/accepted-answer`),
};

/** The message to show for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
