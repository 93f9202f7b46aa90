import { type Page, request, type ThreadSummary } from '../../lib/api.ts';
import { toQuery } from '../../lib/query.ts';

/**
 * Issue 4 (server module `feed`): the home feed, follows and mutes, discovery.
 * Everything here is about the signed-in viewer, except discovery (anonymous too).
 */
export interface FeedItem extends ThreadSummary {
  /** Why the thread is here beyond "from your community": "You follow #glaze", "By @ada, whom you follow". */
  reasons: string[];
}
export interface Feed extends Page<FeedItem> {
  /** The snapshot every page of this feed ranks at (new threads never shift the pages being read). */
  asOf: string;
}

export type FollowKind = 'users' | 'tags';
export type MuteKind = 'users' | 'communities' | 'tags';
export type Relation = 'follows' | 'mutes';

export interface UserEntry {
  id: number;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  since: string;
}
export interface TagEntry {
  name: string;
  since: string;
}
export interface CommunityEntry {
  id: number;
  slug: string;
  name: string;
  since: string;
}
export type RelationEntry = UserEntry | TagEntry | CommunityEntry;

/** The name a relation's path takes: a username, a tag name, a community slug. */
export const entryName = (e: RelationEntry): string =>
  'username' in e ? e.username : 'slug' in e ? e.slug : e.name;

export interface CommunitySuggestion {
  community: { id: number; slug: string; name: string; description: string; memberCount: number };
  reason: string;
  signals: { followedMembers: number; sharedMembers: number; matchingTags: string[] };
}
export interface TrendingTag {
  name: string;
  threads: number;
  score: number;
  following: boolean;
}

const enc = encodeURIComponent;
type PageQuery = { cursor?: string | null; limit?: number };

export const feedApi = {
  feed: (q: PageQuery = {}) => request<Feed>('GET', `/feed${toQuery(q)}`),
  /** follows: users | tags; mutes: users | communities | tags. */
  relate: (rel: Relation, kind: MuteKind, name: string, on: boolean) =>
    request<{ following?: boolean; muted?: boolean }>(on ? 'POST' : 'DELETE', `/${rel}/${kind}/${enc(name)}`),
  list: (rel: Relation, kind: MuteKind, q: PageQuery = {}) =>
    request<Page<RelationEntry>>('GET', `/${rel}/${kind}${toQuery(q)}`),
  suggestCommunities: (limit = 10) =>
    request<{ items: CommunitySuggestion[] }>('GET', `/discover/communities${toQuery({ limit })}`),
  trendingTags: (limit = 12) =>
    request<{ items: TrendingTag[] }>('GET', `/discover/tags${toQuery({ limit })}`),
};
