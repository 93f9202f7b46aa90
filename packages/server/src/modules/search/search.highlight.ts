import { isAscii, isWordChar, TermMatcher } from './search.match.ts';

/**
 * Highlighting, done here rather than by FTS5's snippet() or PostgreSQL's ts_headline():
 * both re-run the whole match for every shown row (26 ms for a common word at 200k
 * threads on SQLite; ts_headline re-parses every body), while the page's 20 texts are
 * already at hand. The output is the same on both databases. Matching is deliberately
 * loose (a word matches a term when they share a crude stem, or the word starts with
 * the term): the database decided what matched; this only shows where.
 */
export { crudeStem } from './search.match.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : s);

/** Markdown emphasis and code marks are noise in a passage. */
const clean = (text: string) =>
  text
    .replace(/[*_~]{2,}|`+/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * HTML-escaped text with the matching words in <mark>. With `maxWords`, only the passage
 * of that many words holding the most matches (the first such), with "…" where cut.
 */
export function highlight(text: string, terms: string[] | TermMatcher, maxWords?: number): string {
  const s = clean(text);
  const matcher = Array.isArray(terms) ? new TermMatcher(terms) : terms;
  const starts: number[] = [];
  const ends: number[] = [];
  const hit: boolean[] = [];
  if (isAscii(s)) {
    // The same words as WORD finds, without a regular expression (this runs for every shown text).
    for (let i = 0; i < s.length; ) {
      if (!isWordChar(s.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      while (i < s.length && isWordChar(s.charCodeAt(i))) i++;
      starts.push(start);
      ends.push(i);
      hit.push(matcher.maskAt(s, start, i) !== 0);
    }
  } else {
    for (const m of s.matchAll(WORD)) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
      hit.push(matcher.mask(m[0]) !== 0);
    }
  }
  const n = starts.length;
  let begin = 0;
  let finish = s.length;
  let first = 0;
  let last = n;
  if (maxWords && n > maxWords) {
    // The first window of maxWords words with the most matches (a sliding count).
    let count = 0;
    for (let k = 0; k < maxWords; k++) if (hit[k]) count++;
    let best = 0;
    let bestCount = count;
    for (let w = 1; w + maxWords <= n && bestCount < maxWords; w++) {
      if (hit[w - 1]) count--;
      if (hit[w + maxWords - 1]) count++;
      if (count > bestCount) {
        bestCount = count;
        best = w;
      }
    }
    // Start a little before the first match, so it reads in context.
    const firstHit = hit.indexOf(true, best);
    first = Math.max(0, Math.min(best, firstHit - 3, n - maxWords));
    last = Math.min(n, first + maxWords);
    begin = starts[first]!;
    finish = ends[last - 1]!;
  }
  let out = begin > 0 ? '… ' : '';
  let at = begin;
  for (let i = first; i < last; i++) {
    if (!hit[i]) continue;
    out += `${escapeHtml(s.slice(at, starts[i]))}<mark>${escapeHtml(s.slice(starts[i], ends[i]))}</mark>`;
    at = ends[i]!;
  }
  out += escapeHtml(s.slice(at, finish));
  return finish < s.length ? `${out.trimEnd()} …` : out;
}
