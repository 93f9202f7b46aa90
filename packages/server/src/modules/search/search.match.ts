/**
 * Which words of a text match the query's terms, for ranking (search.rank.ts) and
 * highlighting (search.highlight.ts), so what is scored is what is marked. Deliberately
 * loose: a word matches a term when it starts with it or shares a crude English stem with it.
 * The database decided which documents match (porter on SQLite, the english configuration
 * on PostgreSQL); this only finds where, and how often.
 */
const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ers', 'ies', 'ied', 'er', 'es', 'ed', 'ly', 's', 'e'];

/** A crude English stem ("riding", "rides", "ride" -> "rid"). */
export function crudeStem(word: string): string {
  for (const s of SUFFIXES)
    if (word.length - s.length >= 3 && word.endsWith(s)) return word.slice(0, -s.length);
  return word;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range, on purpose
const ASCII = /^[\x00-\x7f]*$/;
export const isAscii = (s: string) => ASCII.test(s);
/** Lower-cased, without diacritics ("Crème" -> "creme"); ASCII skips the Unicode normalization. */
export const fold = (w: string) =>
  ASCII.test(w) ? w.toLowerCase() : w.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The query's terms, with a memo of the words already judged (a page's texts repeat their
 * words): `mask(word)` has bit i set when the word matches term i (at most 8 terms).
 */
export class TermMatcher {
  readonly terms: string[];
  private readonly stems: string[];
  private readonly memo = new Map<string, number>();

  /** First letters of the stems, when all are ASCII: every matching word starts with its term's stem. */
  private readonly firsts: Set<number> | null;

  constructor(terms: string[]) {
    this.terms = terms.map(fold);
    this.stems = this.terms.map(crudeStem);
    const firsts = this.stems.map((h) => h.charCodeAt(0));
    this.firsts = firsts.every((c) => c < 128) ? new Set(firsts) : null;
  }

  /**
   * mask() of the ASCII word s[start, end): most words of a text cannot match (their first
   * letter starts no term), and are told apart without making a string of them.
   */
  maskAt(s: string, start: number, end: number): number {
    if (this.firsts) {
      let c = s.charCodeAt(start);
      if (c >= 65 && c <= 90) c += 32;
      if (!this.firsts.has(c)) return 0;
    }
    return this.mask(s.slice(start, end));
  }

  mask(word: string): number {
    let m = this.memo.get(word);
    if (m !== undefined) return m;
    const w = fold(word);
    if (!this.stems.some((h) => w.startsWith(h))) {
      this.memo.set(word, 0);
      return 0;
    }
    const ws = crudeStem(w);
    m = 0;
    for (let i = 0; i < this.terms.length; i++) {
      const t = this.terms[i]!;
      const s = this.stems[i]!;
      if (w.startsWith(t) || ws === s || (s.length >= 3 && ws.startsWith(s))) m |= 1 << i;
    }
    this.memo.set(word, m);
    return m;
  }

  /**
   * How many words of `text` match each term (added into `counts`). Every matching word
   * starts with its term's stem (the three rules above all imply it), so in ASCII text only
   * the words at an occurrence of a stem are looked at; other text is split into words.
   */
  count(text: string, counts: number[]): void {
    if (!text) return;
    if (!ASCII.test(text)) {
      for (const word of text.match(WORD) ?? []) this.add(this.mask(word), counts);
      return;
    }
    const lower = text.toLowerCase();
    // A word is judged once even when several stems occur at its start ("rid", "ride").
    const seen = this.stems.length > 1 ? new Set<number>() : null;
    for (const head of this.stems) {
      for (let at = lower.indexOf(head); at !== -1; at = lower.indexOf(head, at + head.length)) {
        if (at > 0 && isWordChar(lower.charCodeAt(at - 1))) continue;
        if (seen) {
          if (seen.has(at)) continue;
          seen.add(at);
        }
        let end = at + head.length;
        while (end < lower.length && isWordChar(lower.charCodeAt(end))) end++;
        this.add(this.mask(lower.slice(at, end)), counts);
      }
    }
  }

  private add(mask: number, counts: number[]) {
    for (let i = 0; mask !== 0; i++, mask >>>= 1) if (mask & 1) counts[i]! += 1;
  }
}

/** ASCII letters and digits: the word characters of ASCII text. */
export const isWordChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
