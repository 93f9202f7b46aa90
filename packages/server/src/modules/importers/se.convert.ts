/**
 * Stack Exchange → Hearth conversions. Dumps hold post bodies as rendered HTML
 * (the Markdown source is only in PostHistory.xml); Hearth stores Markdown and
 * renders it itself through its one sanitizer, so the HTML is turned back into
 * Markdown here. The conversion covers what SE's renderer emits (paragraphs,
 * links, emphasis, code, lists, quotes, headings, images); unknown tags keep
 * their text.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

export function htmlToMarkdown(html: string): string {
  const codeBlocks: string[] = [];
  let s = html.replace(/<pre[^>]*>\s*<code[^>]*>([\s\S]*?)<\/code>\s*<\/pre>/gi, (_, code: string) => {
    codeBlocks.push(decodeEntities(code.replace(/<[^>]+>/g, '')).replace(/\n$/, ''));
    return `\n\n\uE000${codeBlocks.length - 1}\uE000\n\n`;
  });
  s = s
    .replace(/<code>([\s\S]*?)<\/code>/gi, (_, c: string) => `\`${c.replace(/`/g, "'")}\``)
    .replace(/<(strong|b)>([\s\S]*?)<\/\1>/gi, '**$2**')
    .replace(/<(em|i)>([\s\S]*?)<\/\1>/gi, '*$2*')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => {
      const label = text.replace(/<[^>]+>/g, '').trim() || href;
      return `[${label.replace(/[[\]]/g, '')}](${href.replace(/[ ()]/g, encodeURIComponent)})`;
    })
    .replace(
      /<img\s[^>]*src="([^"]*)"[^>]*?(?:alt="([^"]*)")?[^>]*>/gi,
      (_, src: string, alt?: string) => `![${(alt ?? '').replace(/[[\]]/g, '')}](${src})`,
    )
    .replace(
      /<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi,
      (_, n: string, t: string) => `\n\n${'#'.repeat(Number(n))} ${t}\n\n`,
    )
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/(li|ul|ol)>|<(ul|ol)[^>]*>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '  \n')
    .replace(/<hr\s*\/?>/gi, '\n\n---\n\n')
    .replace(
      /<blockquote[^>]*>([\s\S]*?)<\/blockquote>/gi,
      (_, q: string) =>
        `\n\n${q
          .replace(/<\/?p[^>]*>/gi, '\n')
          .trim()
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n')}\n\n`,
    )
    .replace(/<\/?p[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '');
  s = decodeEntities(s)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => `\`\`\`\n${codeBlocks[Number(i)]}\n\`\`\``);
}

/** `<a><b>` (old dumps) or `|a|b|` (new dumps) → Hearth tag names; names Hearth cannot hold are dropped. */
export function parseTags(raw: string | undefined): string[] {
  if (!raw) return [];
  const names = raw.includes('|') ? raw.split('|') : raw.replace(/^<|>$/g, '').split('><');
  return [...new Set(names.map((n) => tagName(n)).filter((n): n is string => n !== null))];
}

/** SE tags allow `c#`, `.net`, up to 35 characters; Hearth tags are [a-z0-9-]{1,32}. */
export function tagName(raw: string): string | null {
  const t = raw
    .trim()
    .toLowerCase()
    .replace(/#/g, '-sharp')
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return t ? t : null;
}

/** A Hearth username (3-30 of [A-Za-z0-9_]) from an SE display name and user id, unique per site id. */
export function usernameFor(displayName: string, seId: number, communityId: number): string {
  const suffix = `_${seId < 0 ? `m${-seId}` : seId}c${communityId}`;
  const base =
    displayName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9_]+/g, '')
      .slice(0, 30 - suffix.length) || 'se';
  return `${base}${suffix}`;
}

export const VOTE_UP = 2;
export const VOTE_DOWN = 3;
export const POST_QUESTION = 1;
export const POST_ANSWER = 2;
