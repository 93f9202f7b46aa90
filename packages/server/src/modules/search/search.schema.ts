import { type Static, Type } from '@sinclair/typebox';
import { Author, CommunityRef, Sponsored } from '../content/content.schema.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'Words to find (all of them; the last also as a prefix)',
  }),
  type: Type.Union(
    [Type.Literal('threads'), Type.Literal('comments'), Type.Literal('communities'), Type.Literal('members')],
    { default: 'threads' },
  ),
  community: Type.Optional(Type.String({ maxLength: 64, description: 'community slug (threads, comments)' })),
  author: Type.Optional(Type.String({ maxLength: 64, description: 'author username (threads, comments)' })),
  tag: Type.Optional(Type.String({ maxLength: 33, description: 'thread tag (threads, comments)' })),
  from: Type.Optional(
    Type.String({ maxLength: 40, description: 'created at or after: YYYY-MM-DD or ISO 8601' }),
  ),
  to: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'created at or before: YYYY-MM-DD (the whole day) or ISO 8601',
    }),
  ),
  sort: Type.Union([Type.Literal('relevance'), Type.Literal('new')], { default: 'relevance' }),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchHit = Type.Object({
  type: Type.Union([
    Type.Literal('thread'),
    Type.Literal('comment'),
    Type.Literal('community'),
    Type.Literal('member'),
  ]),
  id: Type.Integer({ description: 'id of the thread, comment, community or member' }),
  title: Nullable(Type.String()),
  titleHtml: Nullable(Type.String({ description: 'title, HTML-escaped, matches in <mark>' })),
  snippetHtml: Type.String({ description: 'a passage around the matches, HTML-escaped, matches in <mark>' }),
  threadId: Type.Union([Type.Integer(), Type.Null()]),
  community: Type.Union([CommunityRef, Type.Null()]),
  author: Type.Union([Author, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  /** Disclosure label of a sponsored thread or comment (issue 9); null otherwise. */
  sponsored: Sponsored,
});
export type SearchHit = Static<typeof SearchHit>;

export const SearchResults = Type.Object({
  items: Type.Array(SearchHit),
  nextCursor: Nullable(Type.String()),
});
