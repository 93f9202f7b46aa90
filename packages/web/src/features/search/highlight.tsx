import { Fragment } from 'react';

/**
 * Search snippets arrive as HTML-escaped text with the matches in <mark> (search.highlight.ts
 * on the server). They are never inserted as HTML: the markup is parsed here into text runs,
 * and React renders each run as text, so anything else that looks like a tag (or an entity
 * escaping one) stays visible characters and can never become an element.
 */
export interface Run {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
/** One pass: `&amp;lt;` becomes the text `&lt;`, never `<`. */
const decode = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

export function parseHighlight(html: string): Run[] {
  const runs: Run[] = [];
  const push = (text: string, mark: boolean) => {
    if (text) runs.push({ text: decode(text), mark });
  };
  let last = 0;
  for (const m of html.matchAll(/<mark>([\s\S]*?)<\/mark>/g)) {
    push(html.slice(last, m.index), false);
    push(m[1]!, true);
    last = m.index! + m[0].length;
  }
  push(html.slice(last), false);
  return runs;
}

export function Highlighted({ html }: { html: string }) {
  return (
    <>
      {parseHighlight(html).map((r, i) =>
        r.mark ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: runs of one fixed string
          <mark key={i}>{r.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: runs of one fixed string
          <Fragment key={i}>{r.text}</Fragment>
        ),
      )}
    </>
  );
}
