import { describe, expect, it } from 'vitest';
import { readSearch, searchHref } from './SearchPage.tsx';

describe('search page URL', () => {
  it('reads the query and its filters from the URL', () => {
    expect(
      readSearch(
        new URLSearchParams('q=%20kiln%20&community=studio&author=ada&tag=glaze&from=2026-01-01&sort=new'),
      ),
    ).toEqual({
      q: 'kiln',
      type: 'threads',
      community: 'studio',
      author: 'ada',
      tag: 'glaze',
      from: '2026-01-01',
      sort: 'new',
    });
  });

  it('drops the filters that do not apply to communities and members (the API refuses them)', () => {
    expect(readSearch(new URLSearchParams('q=kiln&type=members&community=studio&to=2026-02-01'))).toEqual({
      q: 'kiln',
      type: 'members',
      to: '2026-02-01',
    });
    expect(readSearch(new URLSearchParams('q=x&type=bogus')).type).toBe('threads');
  });

  it('writes a URL that reads back the same', () => {
    const q = { q: 'celadon glaze', type: 'comments' as const, author: 'ada' };
    const href = searchHref(q);
    expect(href).toBe('/search?q=celadon+glaze&type=comments&author=ada');
    expect(readSearch(new URL(href, 'http://x').searchParams)).toEqual(q);
    expect(searchHref({ q: 'kiln', type: 'threads' })).toBe('/search?q=kiln');
  });
});
