import { dialectOf } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { DAY, iso } from '../../platform/clock.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { invalid } from '../../platform/errors.ts';
import { normalizeTag } from '../../platform/tags.ts';
import { sponsorsOf } from '../content/content.queries.ts';
import { highlight } from './search.highlight.ts';
import { TermMatcher } from './search.match.ts';
import * as q from './search.queries.ts';
import { containsLast, rank } from './search.rank.ts';
import type { SearchHit, SearchQuery } from './search.schema.ts';

const KIND = { threads: 'thread', comments: 'comment', communities: 'community', members: 'member' } as const;
/** Relevance pages are offsets (ranks move as the corpus changes anyway); past this, search is not for browsing. */
export const MAX_OFFSET = 1000;
const MAX_TERMS = 8;
/** Words in a result's passage. */
const SNIPPET_WORDS = 30;

/** The words of a query: runs of letters and digits, lower-cased, at most 8. Anything else is a separator. */
export function parseTerms(text: string): string[] {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, 64)))].slice(0, MAX_TERMS);
}

function parseDate(value: string, field: string, endOfDay: boolean): number {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(dayOnly ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    invalid(field, 'is not a date (YYYY-MM-DD or ISO 8601)');
  return dayOnly && endOfDay ? t + DAY - 1 : t;
}

/**
 * Relevance ranks blocks of candidates: the newest BLOCK matching documents the viewer may
 * read (past the filters), scored together (search.rank.ts); then the next older BLOCK, and
 * so on. Finding them walks the index newest first and stops after BLOCK rows, so the cost
 * of a page does not grow with the number of documents, nor with how common the words are
 * (ranking every match of a common word grows with both: 1.7 s p99 at 1M threads). The
 * trade-off: a strong older match ranks below weaker newer ones, as in a feed.
 */
export const BLOCK = 100;
/**
 * Blocks read for one page at most. More than two only when a block comes back short of
 * matches while older ones remain (SQLite checking a long last word in search.rank.ts, see
 * q.lastWord; PostgreSQL with words or filters that rarely meet, see q.searchDocs): the page
 * may then come back short, with a cursor to read on.
 */
const MAX_SCANS = 4;

export async function search(db: Db, viewer: Viewer | null, query: SearchQuery, block = BLOCK) {
  const kind = KIND[query.type];
  const perThread = kind === 'thread' || kind === 'comment';
  for (const field of ['community', 'author', 'tag'] as const) {
    if (query[field] !== undefined && !perThread) invalid(field, 'applies to threads and comments only');
  }
  const from = query.from !== undefined ? parseDate(query.from, 'from', false) : undefined;
  const to = query.to !== undefined ? parseDate(query.to, 'to', true) : undefined;
  const tag = query.tag !== undefined ? normalizeTag(query.tag, 'tag') : undefined;
  // Cursor: [upper id bound of the block, rows of it already shown, rows shown in all].
  const c = decodeCursor(query.cursor, ['id', 'id', 'id']) as [number, number, number] | null;
  const terms = parseTerms(query.q);
  if (!terms.length) return { items: [], nextCursor: null };
  const relevance = query.sort === 'relevance';
  const matcher = new TermMatcher(terms);
  const { superset } = q.lastWord(dialectOf(db), terms[terms.length - 1]!);
  const base = {
    kind,
    terms,
    viewer: viewer && { userId: viewer.userId, isAdmin: viewer.isAdmin },
    communitySlug: query.community,
    authorUsername: query.author,
    tag,
    from,
    to,
  };
  // Newest first needs no block when every row read is shown: the page and one more.
  const scanSize = relevance || superset ? block : query.limit + 1;

  // Relevance pages by position in a block and stops after MAX_OFFSET rows; newest first by id.
  const cap = relevance ? MAX_OFFSET : Number.POSITIVE_INFINITY;
  let hi: number | null = c ? c[0] : null;
  let pos = c ? c[1] : 0;
  let shown = c ? c[2] : 0;
  const hits: q.Hit[] = [];
  let next: [number, number, number] | null = null;
  for (let scans = 0; scans < MAX_SCANS && shown < cap; scans++) {
    const { rows, resume } = await q.searchDocs(db, { ...base, atMost: hi, limit: scanSize });
    // Pinned to the block's newest row, so documents added meanwhile do not shift its pages.
    if (rows[0]) hi ??= rows[0].id;
    const matching = superset ? rows.filter((d) => containsLast(d, matcher)) : rows;
    const list = relevance ? rank(matching, matcher).map((s) => s.doc) : matching;
    const taken = list.slice(pos, pos + Math.min(query.limit - hits.length, cap - shown));
    hits.push(...taken);
    shown += taken.length;
    pos += taken.length;
    if (pos < list.length && hi != null) {
      // More in this block: relevance goes on from this position; newest first after the last row.
      next = relevance ? [hi, pos, shown] : [taken[taken.length - 1]!.id - 1, 0, shown];
      break;
    }
    next = null;
    if (resume == null) break; // the oldest matches were read
    hi = resume;
    pos = 0;
    next = [hi, 0, shown];
    if (hits.length >= query.limit) break;
  }
  const nextCursor = next && shown < cap ? encodeCursor(next) : null;

  const pageIds = hits.map((h) => h.id);
  const docs = new Map((await q.pageDocs(db, pageIds)).map((d) => [d.id, d]));
  // A document deleted since it was ranked (PostgreSQL reads each query's own snapshot) is left out.
  const shownHits = hits.flatMap((h) => {
    const doc = docs.get(h.id);
    return doc ? [{ ...doc, title: h.title }] : [];
  });
  const sponsors = perThread
    ? await sponsorsOf(
        db,
        kind,
        shownHits.map((h) => h.ref_id),
      )
    : new Map();
  const items = shownHits.map((h): SearchHit => {
    const title = kind === 'comment' ? h.thread_title : h.title;
    return {
      type: kind,
      id: h.ref_id,
      title,
      // A comment's title is its thread's, which is not what matched: shown escaped, unmarked.
      titleHtml: title == null ? null : highlight(title, kind === 'comment' ? [] : matcher),
      snippetHtml: highlight(h.body, matcher, SNIPPET_WORDS),
      threadId: perThread ? h.thread_id : null,
      community:
        kind === 'member' || h.community_slug == null
          ? null
          : { id: h.community_id!, slug: h.community_slug, name: h.community_name! },
      author:
        kind === 'community' || h.username == null
          ? null
          : { id: h.author_id!, username: h.username, displayName: h.display_name!, avatarUrl: h.avatar_url },
      createdAt: iso(h.created_at),
      sponsored: sponsors.get(h.ref_id) ?? null,
    };
  });
  return { items, nextCursor };
}
