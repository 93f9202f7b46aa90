import { useEffect, useState } from 'react';
import { renderMarkdown } from '../lib/markdown.ts';

/**
 * HTML the server rendered and sanitized at write time (markdown-it with raw HTML off,
 * then sanitize-html's allow-list), shown as is.
 */
export function Prose({ html, className = '' }: { html: string; className?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: bodyHtml is sanitized by the server (content.markdown.ts)
  return <div className={`prose ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

/**
 * Markdown rendered in the browser (composer preview, guidelines). markdown-it runs with
 * raw HTML off, so the source cannot inject markup; until it has loaded, the plain text shows.
 */
export function Markdown({ source, className = '' }: { source: string; className?: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    renderMarkdown(source).then((h) => {
      if (live) setHtml(h);
    });
    return () => {
      live = false;
    };
  }, [source]);
  if (html === null) return <div className={`prose prose-plain ${className}`}>{source}</div>;
  return <Prose html={html} className={className} />;
}
