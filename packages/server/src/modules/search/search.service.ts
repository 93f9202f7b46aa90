import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { DAY, iso } from '../../platform/clock.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { invalid } from '../../platform/errors.ts';
import { normalizeTag } from '../../platform/tags.ts';
import { sponsorsOf } from '../content/content.queries.ts';
import { highlight } from './search.highlight.ts';
import * as q from './search.queries.ts';
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
 * Relevance is ranked first among the newest WINDOW documents of the kind, then among the
 * older ones (the cursor says which phase and where). A common word matches a third of
 * everything; ranking all of it (bm25, ts_rank_cd) costs time in proportion (95 ms for
 * one word at 200k threads on SQLite), while the newest 10,000 bound it (7 ms). Rare words, whose matches
 * are few, simply continue into the older phase on the same page.
 */
export const WINDOW = 10_000;

type Phase = { phase: 1 | 2; pos: number; bound: number };

export async function search(db: Db, viewer: Viewer | null, query: SearchQuery, window = WINDOW) {
  const kind = KIND[query.type];
  const perThread = kind === 'thread' || kind === 'comment';
  for (const field of ['community', 'author', 'tag'] as const) {
    if (query[field] !== undefined && !perThread) invalid(field, 'applies to threads and comments only');
  }
  const from = query.from !== undefined ? parseDate(query.from, 'from', false) : undefined;
  const to = query.to !== undefined ? parseDate(query.to, 'to', true) : undefined;
  const tag = query.tag !== undefined ? normalizeTag(query.tag, 'tag') : undefined;
  // Cursor: [phase, position, bound]; position = rows skipped (relevance) or the last id (new).
  const c = decodeCursor(query.cursor, ['id', 'id', 'id']) as [number, number, number] | null;
  if (c && c[0] !== 1 && c[0] !== 2) invalid('cursor', 'not a cursor for this list');
  const terms = parseTerms(query.q);
  if (!terms.length) return { items: [], nextCursor: null };
  const bound = c ? c[2] : ((await q.nthNewestId(db, kind, window)) ?? 0);
  const at: Phase = c ? { phase: c[0] as 1 | 2, pos: c[1], bound } : { phase: 1, pos: 0, bound };
  const relevance = query.sort === 'relevance';
  const base = {
    kind,
    terms,
    viewer: viewer && { userId: viewer.userId, isAdmin: viewer.isAdmin },
    communitySlug: query.community,
    authorUsername: query.author,
    tag,
    from,
    to,
    sort: query.sort,
  };
  const run = (p: Phase, limit: number) =>
    relevance && p.pos >= MAX_OFFSET
      ? Promise.resolve([])
      : q.searchDocs(db, {
          ...base,
          // Phase 1 is everything when the kind has fewer than WINDOW documents (bound 0).
          above: p.phase === 1 && p.bound > 0 ? p.bound : null,
          atMost: p.phase === 2 ? p.bound : null,
          offset: relevance ? p.pos : 0,
          beforeId: relevance || p.pos === 0 ? null : p.pos,
          limit,
        });
  /** Where the next page starts after `rows` of phase `p` (rows may be empty: the phase's start). */
  const after = (p: Phase, rows: q.Hit[]): Phase => ({
    ...p,
    pos: relevance ? p.pos + rows.length : (rows[rows.length - 1]?.id ?? p.pos),
  });

  let hits = await run(at, query.limit);
  let resume: Phase | null = null;
  if (hits.length > query.limit) {
    hits = hits.slice(0, query.limit);
    resume = after(at, hits);
  } else if (at.phase === 1 && bound > 0) {
    // The recent window ran out: the rest of the page comes from the older documents.
    const need = query.limit - hits.length;
    const older = await run({ phase: 2, pos: 0, bound }, need);
    const taken = older.slice(0, need);
    hits = [...hits, ...taken];
    if (older.length > need) resume = after({ phase: 2, pos: 0, bound }, taken);
  }
  const nextCursor = resume ? encodeCursor([resume.phase, resume.pos, resume.bound]) : null;

  const ctx = await q.hitContext(db, hits);
  const sponsors = perThread
    ? await sponsorsOf(
        db,
        kind,
        hits.map((h) => h.ref_id),
      )
    : new Map();
  const items = hits.map((h): SearchHit => {
    const doc = ctx.doc.get(h.id);
    const user = (id: number | null) => {
      const u = id != null ? ctx.user.get(id) : undefined;
      return u
        ? { id: u.id, username: u.username, displayName: u.display_name, avatarUrl: u.avatar_url }
        : null;
    };
    const community = (id: number | null) => {
      const cm = id != null ? ctx.community.get(id) : undefined;
      return cm ? { id: cm.id, slug: cm.slug, name: cm.name } : null;
    };
    const title = kind === 'comment' ? (ctx.threadTitle.get(h.thread_id!) ?? null) : (doc?.title ?? null);
    return {
      type: kind,
      id: h.ref_id,
      title,
      // A comment's title is its thread's, which is not what matched: shown escaped, unmarked.
      titleHtml: title == null ? null : highlight(title, kind === 'comment' ? [] : terms),
      snippetHtml: highlight(doc?.body ?? '', terms, SNIPPET_WORDS),
      threadId: perThread ? h.thread_id : null,
      community: kind === 'member' ? null : community(h.community_id),
      author: kind === 'community' ? null : user(h.author_id),
      createdAt: iso(h.created_at),
      sponsored: sponsors.get(h.ref_id) ?? null,
    };
  });
  return { items, nextCursor };
}
