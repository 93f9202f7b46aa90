import { act, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadMarkdown } from '../lib/markdown.ts';
import { Composer, clearMentionCache } from './Composer.tsx';

// React's test mode: state updates inside act() are applied before it returns.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const MEMBERS = [
  {
    userId: 1,
    username: 'maya',
    displayName: 'Maya Okafor',
    avatarUrl: null,
    role: 'owner',
    status: 'active',
  },
  {
    userId: 2,
    username: 'marco',
    displayName: 'Marco Rossi',
    avatarUrl: null,
    role: 'member',
    status: 'active',
  },
  {
    userId: 3,
    username: 'tom',
    displayName: 'Tom Hughes',
    avatarUrl: null,
    role: 'member',
    status: 'active',
  },
  {
    userId: 4,
    username: 'mallory',
    displayName: 'Mallory Pending',
    avatarUrl: null,
    role: 'member',
    status: 'invited',
  },
];

let container: HTMLDivElement;
let root: Root;
let latest = '';
const fetchMock = vi.fn(
  async (_url: string) => new Response(JSON.stringify({ items: MEMBERS, nextCursor: null })),
);

function Harness({ initial = '', slug = 'runners' }: { initial?: string; slug?: string }) {
  const [value, setValue] = useState(initial);
  latest = value;
  return <Composer label="Comment" value={value} onChange={setValue} slug={slug} showTags />;
}

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const textarea = () => container.querySelector('textarea')!;
const options = () => [...container.querySelectorAll('[role="option"]')].map((o) => o.textContent);

async function typeText(value: string) {
  const el = textarea();
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, value);
    el.setSelectionRange(value.length, value.length);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush();
}
async function key(k: string) {
  await act(async () => {
    textarea().dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  });
}

beforeEach(async () => {
  clearMentionCache();
  fetchMock.mockClear();
  vi.stubGlobal('fetch', fetchMock);
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});
afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

describe('Composer', () => {
  it('labels its text box and offers members of the community after @, best match first', async () => {
    await act(async () => root.render(<Harness />));
    expect(container.querySelector('label')!.htmlFor).toBe(textarea().id);
    expect(textarea().getAttribute('aria-expanded')).toBe('false');
    await typeText('Thanks @ma');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/communities/runners/members?limit=200');
    // Invited (not active) members are not offered.
    expect(options()).toEqual(['MMarco Rossi@marco', 'MMaya Okafor@maya']);
    expect(textarea().getAttribute('aria-expanded')).toBe('true');
    expect(textarea().getAttribute('aria-activedescendant')).toBe(
      container.querySelector('[role="option"]')!.id,
    );
  });

  it('picks with the arrow keys and Enter, replacing the partial name', async () => {
    await act(async () => root.render(<Harness />));
    await typeText('Thanks @ma');
    await key('ArrowDown');
    expect(container.querySelector('[aria-selected="true"]')!.textContent).toContain('@maya');
    await key('Enter');
    expect(latest).toBe('Thanks @maya ');
    expect(options()).toEqual([]);
    // Shows what the server will record.
    expect(container.textContent).toContain('Mentions: @maya');
  });

  it('closes on Escape, picks by click, and fetches the member list only once', async () => {
    await act(async () => root.render(<Harness />));
    await typeText('@t');
    expect(options()).toEqual(['TTom Hughes@tom']);
    await key('Escape');
    expect(options()).toEqual([]);
    await typeText('@t and @m');
    expect(options()).toEqual(['MMarco Rossi@marco', 'MMaya Okafor@maya', 'TTom Hughes@tom']);
    await act(async () => (container.querySelector('[role="option"]') as HTMLElement).click());
    expect(latest).toBe('@t and @marco ');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('shows a markdown preview with mention and tag links, and lists the #tags the text adds', async () => {
    await act(async () =>
      root.render(<Harness initial={'**Hill** repeats with @maya #hills\n\n<script>alert(1)</script>'} />),
    );
    expect(container.textContent).toContain('Tags: #hills');
    await loadMarkdown(); // the lazily loaded chunk, ready before the switch
    const preview = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Preview')!;
    await act(async () => preview.click());
    await flush();
    const html = container.querySelector('.composer-preview')!.innerHTML;
    expect(html).toContain('<strong>Hill</strong>');
    expect(html).toContain('<a href="/u/maya" class="mention">@maya</a>');
    expect(html).toContain('<a href="/t/hills" class="tag">#hills</a>');
    // Raw HTML stays text.
    expect(container.querySelector('.composer-preview script')).toBeNull();
    expect(html).toContain('&lt;script&gt;');
    expect(preview.getAttribute('aria-pressed')).toBe('true');
    expect(textarea().hidden).toBe(true);
  });

  it('says when member suggestions cannot load, with the server message', async () => {
    fetchMock.mockImplementationOnce(
      async () =>
        new Response(JSON.stringify({ error: { code: 'COMMUNITY_NOT_FOUND', message: 'No community x' } }), {
          status: 404,
        }),
    );
    await act(async () => root.render(<Harness />));
    await typeText('@ma');
    await flush();
    expect(container.textContent).toContain('Member suggestions unavailable: No community x');
  });
});
