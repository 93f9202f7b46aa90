import type MarkdownIt from 'markdown-it';

/**
 * Client-side markdown for the composer's preview and for community guidelines, with the
 * server's settings (markdown-it, raw HTML off, linkify) and the same @mention / #tag
 * links. markdown-it is loaded on first use, so pages that never preview don't pay for it.
 * What is stored and shown for posts is always the server's own rendering (bodyHtml).
 */
const MENTION = /(^|[^\w@/.])@([A-Za-z0-9_]{3,30})(?![\w])/g;
const TAG = /(^|[^\w&#/])#([A-Za-z0-9][A-Za-z0-9-]{0,31})(?![\w-])/g;

let instance: Promise<MarkdownIt> | null = null;

export function loadMarkdown(): Promise<MarkdownIt> {
  instance ??= import('markdown-it').then(({ default: Md }) => {
    const md = new Md({ html: false, linkify: true, breaks: false, typographer: false });
    md.core.ruler.push('hearth_mentions_tags', (state) => {
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
          const hits = [
            ...[...tok.content.matchAll(MENTION)].map((m) => ({ m, kind: 'mention' as const })),
            ...[...tok.content.matchAll(TAG)].map((m) => ({ m, kind: 'tag' as const })),
          ].sort((a, b) => a.m.index! - b.m.index!);
          let pos = 0;
          const text = (content: string) => {
            if (!content) return;
            const t = new state.Token('text', '', 0);
            t.content = content;
            out.push(t);
          };
          for (const { m, kind } of hits) {
            if (m.index! < pos) continue;
            const name = m[2]!.toLowerCase();
            text(tok.content.slice(pos, m.index) + m[1]);
            const open = new state.Token('link_open', 'a', 1);
            open.attrSet('href', kind === 'mention' ? `/u/${name}` : `/t/${name}`);
            open.attrSet('class', kind);
            out.push(open);
            text(kind === 'mention' ? `@${name}` : `#${name}`);
            out.push(new state.Token('link_close', 'a', -1));
            pos = m.index! + m[0].length;
          }
          text(tok.content.slice(pos));
        }
        block.children = out;
      }
    });
    return md;
  });
  return instance;
}

export async function renderMarkdown(source: string): Promise<string> {
  return (await loadMarkdown()).render(source);
}
