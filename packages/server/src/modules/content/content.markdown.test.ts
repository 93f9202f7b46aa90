import { describe, expect, it } from 'vitest';
import { excerpt, renderMarkdown, renderMarkdownMany } from './content.markdown.ts';
import { hotRank } from './content.ranking.ts';

describe('markdown rendering', () => {
  it('renders markdown and links mentions and tags', () => {
    const r = renderMarkdown('**Hi** @Alice, see #Trail-Running and _this_.');
    expect(r.html).toContain('<strong>Hi</strong>');
    expect(r.html).toContain('<a href="/u/alice" class="mention">@alice</a>');
    expect(r.html).toContain('<a href="/t/trail-running" class="tag">#trail-running</a>');
    expect(r.mentions).toEqual(['alice']);
    expect(r.tags).toEqual(['trail-running']);
  });

  it('ignores mentions and tags in code, links, emails and headings markers', () => {
    const r = renderMarkdown(
      '`@bob #code`\n\n    @carol #indented\n\n[@dave](https://x.test) mail me@ex.com # not-a-tag\n\n## Heading',
    );
    expect(r.mentions).toEqual([]);
    expect(r.tags).toEqual([]);
  });

  // What must never survive in the HTML: script-capable elements, event handler
  // attributes, or URLs with a script or data scheme.
  const dangerous = [
    /<\s*(script|iframe|svg|object|embed|style)/i,
    /<[^>]*\son\w+\s*=/i,
    /<[^>]*\s(href|src)\s*=\s*"?\s*(javascript|vbscript|data):/i,
  ];
  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[x](vbscript:msgbox)',
    '![x](javascript:alert(1))',
    '<a href="javascript:alert(1)" onclick="x()">a</a>',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '<iframe src="https://evil.test"></iframe>',
    '<svg onload=alert(1)>',
    '[x](java\tscript:alert(1))',
    '[x](&#106;avascript:alert(1))',
  ])('neutralises %s', (source) => {
    const { html } = renderMarkdown(source);
    for (const pattern of dangerous) expect(html).not.toMatch(pattern);
  });

  it('keeps safe links and marks external ones nofollow ugc', () => {
    const { html } = renderMarkdown('[site](https://example.com) and https://auto.example.org');
    expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener noreferrer">site</a>');
    expect(html).toContain('href="https://auto.example.org"');
  });

  it('renders many sources at once exactly like one by one (one sanitizer call per batch)', () => {
    const sources = [
      '**Hi** @Alice #tag [x](https://x.test) https://auto.example.org',
      '<script>alert(1)</script> and <b>raw</b>',
      '[click](javascript:alert(1)) ![i](data:image/png;base64,AA)',
      'a \u0000 NUL, which markdown-it replaces',
      '*unclosed **emphasis `and code',
      '```\nunclosed fence <a href="x">',
      '> quote\n\n- list\n  - nested\n\n1. one\n2. two',
      '| a | b |\n|:--|--:|\n| 1 | 2 |',
      '',
      'a'.repeat(400),
    ];
    const withExcerpt = sources.map((_, i) => i % 2 === 0);
    const many = renderMarkdownMany(sources, withExcerpt);
    expect(many).toHaveLength(sources.length);
    sources.forEach((source, i) => {
      expect(many[i]!.html).toBe(renderMarkdown(source).html);
      expect(many[i]!.excerpt).toBe(withExcerpt[i] ? excerpt(source) : null);
    });
    expect(renderMarkdownMany([])).toEqual([]);
  });

  it('makes plain-text excerpts with entities decoded', () => {
    expect(excerpt('**bold** & <b>x</b>')).toBe('bold & <b>x</b>');
    expect(excerpt('a'.repeat(400), 50)).toHaveLength(50);
  });
});

describe('hot rank (Lemmy)', () => {
  const h = 3_600_000;
  it('follows log10(max(2, score+2)) / (hours+2)^1.8', () => {
    expect(hotRank(0, 0, 0)).toBeCloseTo(Math.log10(2) / 2 ** 1.8, 12);
    expect(hotRank(8, 0, 10 * h)).toBeCloseTo(1 / 12 ** 1.8, 12);
    expect(hotRank(-50, 0, 0)).toBeCloseTo(Math.log10(2) / 2 ** 1.8, 12);
  });
  it('decays with age, grows with score, is 0 after a week or in the future', () => {
    expect(hotRank(10, 0, 1 * h)).toBeGreaterThan(hotRank(10, 0, 5 * h));
    expect(hotRank(20, 0, 5 * h)).toBeGreaterThan(hotRank(10, 0, 5 * h));
    expect(hotRank(1000, 0, 7 * 24 * h)).toBe(0);
    expect(hotRank(10, 10 * h, 0)).toBe(0);
  });
});
