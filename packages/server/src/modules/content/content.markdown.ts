import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown → safe HTML, rendered once at write time and stored. Raw HTML in the
 * source is escaped (html: false), markdown-it refuses javascript:/vbscript:/data:
 * links, and sanitize-html is a second, independent allow-list over the output.
 * @mentions and #tags are found in text only (never inside code or links) and
 * become links; the same pass returns them so they can be stored.
 */
const MENTION = /(^|[^\w@/.])@([A-Za-z0-9_]{3,30})(?![\w])/g;
const TAG = /(^|[^\w&#/])#([A-Za-z0-9][A-Za-z0-9-]{0,31})(?![\w-])/g;

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });

type Found = { mentions: Set<string>; tags: Set<string> };

md.core.ruler.push('hearth_mentions_tags', (state) => {
  const found = (state.env as { found?: Found }).found;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: typeof block.children = [];
    let linkDepth = 0;
    for (const tok of block.children) {
      if (tok.type === 'link_open') linkDepth++;
      if (tok.type === 'link_close') linkDepth--;
      if (tok.type !== 'text' || linkDepth > 0) {
        out.push(tok);
        continue;
      }
      const text = tok.content;
      const hits: { index: number; length: number; kind: 'mention' | 'tag'; name: string; lead: string }[] =
        [];
      for (const m of text.matchAll(MENTION)) {
        hits.push({
          index: m.index!,
          length: m[0].length,
          kind: 'mention',
          name: m[2]!.toLowerCase(),
          lead: m[1]!,
        });
      }
      for (const m of text.matchAll(TAG)) {
        hits.push({
          index: m.index!,
          length: m[0].length,
          kind: 'tag',
          name: m[2]!.toLowerCase(),
          lead: m[1]!,
        });
      }
      if (!hits.length) {
        out.push(tok);
        continue;
      }
      hits.sort((a, b) => a.index - b.index);
      let pos = 0;
      const push = (content: string) => {
        if (!content) return;
        const t = new state.Token('text', '', 0);
        t.content = content;
        out.push(t);
      };
      for (const h of hits) {
        if (h.index < pos) continue;
        push(text.slice(pos, h.index) + h.lead);
        const open = new state.Token('link_open', 'a', 1);
        open.attrSet('href', h.kind === 'mention' ? `/u/${h.name}` : `/t/${h.name}`);
        open.attrSet('class', h.kind);
        out.push(open);
        push(h.kind === 'mention' ? `@${h.name}` : `#${h.name}`);
        out.push(new state.Token('link_close', 'a', -1));
        if (found) (h.kind === 'mention' ? found.mentions : found.tags).add(h.name);
        pos = h.index + h.length;
      }
      push(text.slice(pos));
    }
    block.children = out;
  }
});

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'iframe'), 'img', 'del', 's'],
  allowedAttributes: {
    a: ['href', 'title', 'class', 'rel'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    th: ['style'],
    td: ['style'],
    ol: ['start'],
  },
  allowedStyles: {
    th: { 'text-align': [/^(left|right|center)$/] },
    td: { 'text-align': [/^(left|right|center)$/] },
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const internal = attribs.href?.startsWith('/') ?? false;
      return {
        tagName,
        attribs: internal ? attribs : { ...attribs, rel: 'nofollow ugc noopener noreferrer' },
      };
    },
  },
};

export interface Rendered {
  html: string;
  mentions: string[];
  tags: string[];
}

export function renderMarkdown(source: string): Rendered {
  const found: Found = { mentions: new Set(), tags: new Set() };
  const raw = md.render(source, { found });
  return { html: sanitizeHtml(raw, SANITIZE), mentions: [...found.mentions], tags: [...found.tags] };
}

const TEXT_ONLY: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {} };

/** Plain-text excerpt for lists and link previews. */
export function excerpt(source: string, max = 280): string {
  return excerptOfText(sanitizeHtml(md.render(source), TEXT_ONLY), max);
}

function excerptOfText(sanitizedText: string, max: number): string {
  const text = decodeEntities(sanitizedText).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * renderMarkdown (html only) and, where `withExcerpt[i]`, excerpt, for many sources at once: the
 * same markdown-it and the same sanitizer options, so the same output (a test compares them on
 * the real dumps), for bulk imports. sanitize-html costs about 35 µs per call before it reads
 * anything (half of a short comment's rendering); here it is called once per batch: the
 * fragments are joined with U+0000, which markdown-it never emits (it replaces NUL in its input
 * with U+FFFD), sanitized in one pass and split again. Each fragment is balanced HTML (markdown-it
 * closes every tag it opens), so no element spans two fragments; if the split does not give back
 * one part per fragment, every fragment is sanitized on its own.
 */
export function renderMarkdownMany(
  sources: string[],
  withExcerpt: boolean[] = [],
  max = 280,
): { html: string; excerpt: string | null }[] {
  const raw = sources.map((s) => md.render(s));
  const html = sanitizeJoined(raw, SANITIZE);
  const wanted = raw.flatMap((_, i) => (withExcerpt[i] ? [i] : []));
  const texts = sanitizeJoined(
    wanted.map((i) => raw[i]!),
    TEXT_ONLY,
  );
  const excerpts = new Map(wanted.map((i, k) => [i, excerptOfText(texts[k]!, max)]));
  return raw.map((_, i) => ({ html: html[i]!, excerpt: excerpts.get(i) ?? null }));
}

const SEPARATOR = '\u0000';

function sanitizeJoined(fragments: string[], options: sanitizeHtml.IOptions): string[] {
  if (fragments.length === 0) return [];
  if (!fragments.some((f) => f.includes(SEPARATOR))) {
    const parts = sanitizeHtml(fragments.join(SEPARATOR), options).split(SEPARATOR);
    if (parts.length === fragments.length) return parts;
  }
  return fragments.map((f) => sanitizeHtml(f, options));
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  '#x27': "'",
  nbsp: ' ',
};
const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, e: string) => ENTITIES[e]!);
