import type { TermMatcher } from './search.match.ts';

/**
 * Relevance, computed here for a block of candidates (the newest matches, see
 * search.service.ts) rather than by bm25() or ts_rank_cd(): the same score on both
 * databases, and a cost bounded by the block. FTS5's bm25() counts every match of every word
 * in the whole table on each query for its IDF (8 ms for one common word at 1M threads), and
 * on PostgreSQL ranking in SQL needs the text anyway.
 *
 * The score is BM25F (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and
 * Beyond", 2009, section 3.1) with the usual k1 = 1.2, b = 0.75, the title weighing 5x the
 * body (as the bm25() call it replaces), and lengths in characters. It has no IDF: every
 * candidate contains every word (all words must match), so an IDF would only rescale each
 * word's share, and the candidates are too few to estimate one.
 */
const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 5;

export interface Candidate {
  id: number;
  title: string | null;
  body: string;
}

export interface Scored<T> {
  doc: T;
  score: number;
}

/**
 * Whether some word of the document matches the query's last term. SQLite searches a long
 * last word by its first letters, a superset (search.queries.ts, lastWord): this keeps the
 * documents that have a word starting like the whole of it.
 */
export function containsLast(doc: Candidate, matcher: TermMatcher): boolean {
  const n = matcher.terms.length;
  const counts = new Array<number>(n).fill(0);
  matcher.count(doc.title ?? '', counts);
  matcher.count(doc.body, counts);
  return counts[n - 1]! > 0;
}

/** Scores and orders a block: best first, then newest first. */
export function rank<T extends Candidate>(docs: T[], matcher: TermMatcher): Scored<T>[] {
  const n = matcher.terms.length;
  const kept = docs.map((doc) => {
    const title = new Array<number>(n).fill(0);
    const body = new Array<number>(n).fill(0);
    matcher.count(doc.title ?? '', title);
    matcher.count(doc.body, body);
    return { doc, title, body };
  });
  const avg = (f: (d: T) => number) => kept.reduce((s, c) => s + f(c.doc), 0) / Math.max(1, kept.length) || 1;
  const avgTitle = avg((d) => d.title?.length ?? 0);
  const avgBody = avg((d) => d.body.length);
  const scored = kept.map(({ doc, title, body }) => {
    const normTitle = 1 - B + (B * (doc.title?.length ?? 0)) / avgTitle;
    const normBody = 1 - B + (B * doc.body.length) / avgBody;
    let score = 0;
    for (let i = 0; i < n; i++) {
      const tf = (TITLE_WEIGHT * title[i]!) / normTitle + body[i]! / normBody;
      score += tf / (K1 + tf);
    }
    return { doc, score };
  });
  return scored.sort((a, b) => b.score - a.score || b.doc.id - a.doc.id);
}
