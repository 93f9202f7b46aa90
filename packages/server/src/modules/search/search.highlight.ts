/**
 * Highlighting, done here rather than by FTS5's snippet() or PostgreSQL's ts_headline():
 * both re-run the whole match for every shown row (26 ms for a common word at 200k
 * threads on SQLite; ts_headline re-parses every body), while the page's 20 texts are
 * already at hand. The output is the same on both databases. Matching is deliberately
 * loose (a word matches a term when they share a crude stem, or the word starts with
 * the term): the database decided what matched; this only shows where.
 */
const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ers', 'ies', 'ied', 'er', 'es', 'ed', 'ly', 's', 'e'];

/** A crude English stem ("riding", "rides", "ride" -> "rid"), for highlighting only. */
export function crudeStem(word: string): string {
  for (const s of SUFFIXES)
    if (word.length - s.length >= 3 && word.endsWith(s)) return word.slice(0, -s.length);
  return word;
}

const fold = (w: string) => w.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function matcher(terms: string[]) {
  const folded = terms.map(fold);
  const stems = folded.map(crudeStem);
  return (word: string) => {
    const w = fold(word);
    const ws = crudeStem(w);
    return folded.some(
      (t, i) => w.startsWith(t) || ws === stems[i] || (stems[i]!.length >= 3 && ws.startsWith(stems[i]!)),
    );
  };
}

/** Markdown emphasis and code marks are noise in a passage. */
const clean = (text: string) =>
  text
    .replace(/[*_~]{2,}|`+/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * HTML-escaped text with the matching words in <mark>. With `maxWords`, only the passage
 * of that many words holding the most matches (the first such), with "…" where cut.
 */
export function highlight(text: string, terms: string[], maxWords?: number): string {
  const tokens = clean(text).match(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu) ?? [];
  const isWord = tokens.map((t) => /[\p{L}\p{N}]/u.test(t));
  const matches = matcher(terms);
  const hit = tokens.map((t, i) => isWord[i]! && matches(t));
  let start = 0;
  let end = tokens.length;
  const wordAt = tokens.map((_, i) => i).filter((i) => isWord[i]);
  if (maxWords && wordAt.length > maxWords) {
    let best = 0;
    let bestCount = -1;
    for (let w = 0; w + maxWords <= wordAt.length; w++) {
      let count = 0;
      for (let k = w; k < w + maxWords; k++) if (hit[wordAt[k]!]) count++;
      if (count > bestCount) {
        bestCount = count;
        best = w;
      }
      if (count === maxWords) break;
    }
    // Start a little before the first match, so it reads in context.
    const firstHit = wordAt.findIndex((i, k) => k >= best && hit[i]);
    const from = Math.max(0, Math.min(best, firstHit - 3, wordAt.length - maxWords));
    start = wordAt[from]!;
    end = wordAt[Math.min(wordAt.length, from + maxWords) - 1]! + 1;
  }
  let out = start > 0 ? '… ' : '';
  for (let i = start; i < end; i++)
    out += hit[i] ? `<mark>${escapeHtml(tokens[i]!)}</mark>` : escapeHtml(tokens[i]!);
  return end < tokens.length ? `${out.trimEnd()} …` : out;
}
