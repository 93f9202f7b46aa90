import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { Highlighted, parseHighlight } from './highlight.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function render(html: string) {
  const el = document.createElement('p');
  const root = createRoot(el);
  act(() => root.render(<Highlighted html={html} />));
  return { el, unmount: () => act(() => root.unmount()) };
}

describe('search highlights', () => {
  it('turns <mark> runs into marks and decodes the escaped text once', () => {
    expect(parseHighlight('… the <mark>kiln</mark> &amp; <mark>glaze</mark> &lt;3 &amp;lt;')).toEqual([
      { text: '… the ', mark: false },
      { text: 'kiln', mark: true },
      { text: ' & ', mark: false },
      { text: 'glaze', mark: true },
      { text: ' <3 &lt;', mark: false },
    ]);
  });

  it('never lets other markup become elements', () => {
    // What the server would send for a post containing markup: escaped; and raw tags, should it ever not be.
    const { el, unmount } = render(
      '&lt;img src=x onerror=alert(1)&gt; <mark>fire</mark> <script>alert(2)</script><b>bold</b> <mark><i>x</i></mark>',
    );
    expect([...el.querySelectorAll('*')].map((e) => e.tagName)).toEqual(['MARK', 'MARK']);
    expect(el.querySelectorAll('mark')[0]!.textContent).toBe('fire');
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(el.textContent).toContain('<script>alert(2)</script><b>bold</b>');
    expect(el.querySelectorAll('mark')[1]!.textContent).toBe('<i>x</i>');
    unmount();
  });
});
