/**
 * @mentions and #tags as the composer sees them. The patterns are the server's
 * (packages/server/src/modules/content/content.markdown.ts): what the composer shows as
 * a mention or tag is what the server will store. Code (fenced blocks, `inline`) is
 * skipped, as on the server.
 */
const MENTION = /(^|[^\w@/.])@([A-Za-z0-9_]{3,30})(?![\w])/g;
const TAG = /(^|[^\w&#/])#([A-Za-z0-9][A-Za-z0-9-]{0,31})(?![\w-])/g;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
}

function unique(re: RegExp, text: string): string[] {
  const out = new Set<string>();
  for (const m of withoutCode(text).matchAll(re)) out.add(m[2]!.toLowerCase());
  return [...out];
}

export const extractMentions = (text: string): string[] => unique(MENTION, text);
export const extractTags = (text: string): string[] => unique(TAG, text);

/** The @name being typed just before the caret, if any: where its @ is and what follows it. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|[^\w@/.])@([A-Za-z0-9_]{0,30})$/.exec(text.slice(0, caret));
  if (!m) return null;
  // Inside code the server does not link mentions: do not offer them there.
  const before = text.slice(0, caret);
  const fences = before.match(/```/g)?.length ?? 0;
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const ticks = line.match(/`/g)?.length ?? 0;
  if (fences % 2 === 1 || ticks % 2 === 1) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]! };
}

/** Replaces the @partial at `start` (up to the end of that word) with @username and a space. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  username: string,
): { text: string; caret: number } {
  const rest = text.slice(caret).replace(/^[A-Za-z0-9_]*/, '');
  const sep = rest.startsWith(' ') || rest.startsWith('\n') ? '' : ' ';
  const inserted = `@${username}${sep}`;
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length + (sep ? 0 : 1) };
}

export interface Mentionable {
  username: string;
  displayName: string;
}

/**
 * Members matching what was typed after @, best first: username prefix, then a word of
 * the display name starting with it, then anywhere in either. Case-insensitive.
 */
export function suggestMembers<T extends Mentionable>(members: T[], query: string, limit = 6): T[] {
  const q = query.toLowerCase();
  const rank = (m: T): number => {
    const u = m.username.toLowerCase();
    const d = m.displayName.toLowerCase();
    if (u.startsWith(q)) return 0;
    if (d.split(/\s+/).some((w) => w.startsWith(q))) return 1;
    if (u.includes(q) || d.includes(q)) return 2;
    return -1;
  };
  return members
    .map((m) => ({ m, r: rank(m) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.m.username.localeCompare(b.m.username))
    .slice(0, limit)
    .map((x) => x.m);
}

/** "trail, #Hills  night-runs" → tags, and the words that are not valid tags. */
export function parseTags(input: string): { tags: string[]; invalid: string[] } {
  const tags: string[] = [];
  const invalid: string[] = [];
  for (const raw of input.split(/[\s,]+/)) {
    const t = raw.replace(/^#/, '').toLowerCase();
    if (!t) continue;
    if (!TAG_PATTERN.test(t)) invalid.push(raw);
    else if (!tags.includes(t)) tags.push(t);
  }
  return { tags, invalid };
}
