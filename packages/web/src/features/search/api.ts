import type { Author, Page } from '../../lib/api.ts';
import { request } from '../../lib/api.ts';
import { toQuery } from '../../lib/query.ts';

/** Issue 4 (server module `search`): full text over what the viewer may read. */
export type SearchType = 'threads' | 'comments' | 'communities' | 'members';
export interface SearchQuery {
  q: string;
  type?: SearchType;
  community?: string;
  author?: string;
  tag?: string;
  /** YYYY-MM-DD */
  from?: string;
  to?: string;
  sort?: 'relevance' | 'new';
  cursor?: string | null;
  limit?: number;
}
export interface SearchHit {
  type: 'thread' | 'comment' | 'community' | 'member';
  id: number;
  title: string | null;
  /** HTML-escaped by the server, matches in <mark>: render with <Highlighted>, never as HTML. */
  titleHtml: string | null;
  snippetHtml: string;
  threadId: number | null;
  community: { id: number; slug: string; name: string } | null;
  author: Author | null;
  createdAt: string;
}

export const searchApi = {
  search: (q: SearchQuery) => request<Page<SearchHit>>('GET', `/search${toQuery(q)}`),
};
