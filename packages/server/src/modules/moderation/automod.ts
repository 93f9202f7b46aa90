import { createHash } from 'node:crypto';

/**
 * Pure pieces of automatic moderation: watched-word matching, link/image/mention counting,
 * and the fingerprint duplicate detection compares.
 */
export type WordAction = 'block' | 'require_approval' | 'flag' | 'censor';

export interface WatchedWord {
  id: number;
  pattern: string;
  regex: boolean;
  wholeWord: boolean;
  action: WordAction;
  replacement: string | null;
}

/**
 * Moderator-written regular expressions run on every post, so patterns that can backtrack
 * exponentially are refused: a quantified group that itself contains a quantifier ("(a+)+",
 * "(\w*)*") and backreferences. Together with the 200-character limit on patterns and the
 * 50 000-character limit on posts this keeps matching linear in practice.
 */
export function unsafeRegexReason(pattern: string): string | null {
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // A group containing + * or {n,} that is itself followed by a quantifier.
  if (/\((?:[^()\\]|\\.)*(?:[+*]|\{\d*,\d*\})(?:[^()\\]|\\.)*\)\s*(?:[+*?]|\{\d*,?\d*\})/.test(pattern)) {
    return 'nested quantifiers (like (a+)+) can take exponential time';
  }
  return null;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a watched word; throws an Error with a readable message if it is not usable. */
export function compileWord(w: Pick<WatchedWord, 'pattern' | 'regex' | 'wholeWord'>): RegExp {
  let source: string;
  if (w.regex) {
    const unsafe = unsafeRegexReason(w.pattern);
    if (unsafe) throw new Error(unsafe);
    source = w.pattern;
  } else {
    // Plain words: `*` is a wildcard for any run of letters (Discourse's watched words do the same).
    source = w.pattern.trim().split('*').map(escapeRegex).join('[\\p{L}\\p{N}_]*').replace(/\s+/g, '\\s+');
  }
  // Whole words by Unicode letters and digits (\b only knows ASCII).
  if (w.wholeWord) source = `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`;
  try {
    const re = new RegExp(source, 'giu');
    if (re.test('')) throw new Error('the pattern matches empty text');
    return re;
  } catch (err) {
    throw new Error(err instanceof SyntaxError ? 'not a valid regular expression' : (err as Error).message);
  }
}

export interface WordMatches {
  block: WatchedWord | null;
  requireApproval: WatchedWord[];
  flag: WatchedWord[];
  /** The text with censored words replaced (same as the input when nothing is censored). */
  censor: (text: string) => string;
}

export function matchWords(text: string, words: WatchedWord[]): WordMatches {
  const compiled = words.flatMap((w) => {
    try {
      return [{ w, re: compileWord(w) }];
    } catch {
      return []; // stored words were validated; a pattern broken by a runtime change is skipped
    }
  });
  const hits = compiled.filter(({ re }) => {
    re.lastIndex = 0;
    return re.test(text);
  });
  const of = (a: WordAction) => hits.filter((h) => h.w.action === a).map((h) => h.w);
  const censors = compiled.filter((c) => c.w.action === 'censor');
  return {
    block: of('block')[0] ?? null,
    requireApproval: of('require_approval'),
    flag: of('flag'),
    // Discourse shows censored words as ■ per character; a custom replacement wins.
    censor: (s: string) =>
      censors.reduce(
        (acc, { w, re }) => acc.replace(re, (m) => w.replacement ?? '■'.repeat([...m].length)),
        s,
      ),
  };
}

const LINK = /\bhttps?:\/\/[^\s<>)\]]+|\bwww\.[^\s<>)\]]+/gi;
const IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
const MENTION = /(^|[^\w@/.])@[A-Za-z0-9_]{3,30}(?!\w)/g;

export const countLinks = (text: string) => (text.replace(IMAGE, '').match(LINK) ?? []).length;
export const countImages = (text: string) => (text.match(IMAGE) ?? []).length;
export const countMentions = (text: string) =>
  new Set((text.match(MENTION) ?? []).map((m) => m.trim().toLowerCase())).size;

/** Case, spacing and punctuation do not make a post different. */
export function normalizeForDuplicates(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const fingerprint = (normalized: string) => createHash('sha256').update(normalized).digest('hex');
