import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session.tsx';
import { BadgeToast } from './BadgeToast.tsx';
import { LevelChip } from './LevelChip.tsx';
import { forgetLevels, levelRequests } from './levels.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const me = {
  id: 9,
  username: 'ada',
  displayName: 'Ada',
  bio: '',
  avatarUrl: null,
  interests: [],
  email: 'a@x',
  isAdmin: false,
  csrfToken: 't',
  createdAt: '2026-06-01T00:00:00.000Z',
};
const unseen = {
  items: [
    {
      id: 41,
      community: { slug: 'runners', name: 'Runners' },
      badge: {
        id: 3,
        slug: 'first-thread',
        name: 'First thread',
        description: 'Started a first thread.',
        tier: 'bronze',
      },
      grantedAt: '2026-06-01T00:00:00.000Z',
    },
  ],
};

let container: HTMLDivElement;
let root: Root;
const json = (body: unknown) => new Response(JSON.stringify(body));
const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
  if (url === '/api/v1/me') return json(me);
  if (url.startsWith('/api/v1/communities/runners/member-levels')) {
    const names = new URL(url, 'http://x').searchParams.get('usernames')!.split(',');
    return json({
      items: names
        .filter((n) => n !== 'stranger')
        .map((n, i) => ({
          username: n,
          points: 30 + i,
          level: 2,
          levelName: 'Sprout',
          flair: n === 'u0' ? '🌱 Sprout' : null,
        })),
    });
  }
  if (url === '/api/v1/me/badges/unseen')
    return json(fetchMock.mock.calls.length > 4 ? { items: [] } : unseen);
  if (url === '/api/v1/me/badges/seen') return json({ acknowledged: 1 });
  return new Response('{}', { status: 404 });
});
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

beforeEach(() => {
  fetchMock.mockClear();
  forgetLevels();
  levelRequests.count = 0;
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

describe('levels next to names', () => {
  it('asks for every name on the page in one request, and shows flair or the level name', async () => {
    const names = [...Array.from({ length: 40 }, (_, i) => `u${i}`), 'stranger'];
    await act(async () =>
      root.render(
        <ul>
          {names.map((n) => (
            <li key={n} data-name={n}>
              {n} <LevelChip slug="runners" username={n} />
            </li>
          ))}
        </ul>,
      ),
    );
    await flush();
    const calls = fetchMock.mock.calls.filter(([u]) => u.includes('member-levels'));
    expect(calls).toHaveLength(1);
    expect(levelRequests.count).toBe(1);
    const chip = (n: string) => container.querySelector(`[data-name="${n}"] .level-chip`);
    expect(chip('u0')!.textContent).toBe('🌱 Sprout');
    expect(chip('u1')!.textContent).toBe('Sprout');
    expect(chip('u1')!.getAttribute('title')).toBe('Level 2: Sprout · 31 points');
    expect(chip('stranger')).toBeNull();
    // Rendering the same names again uses the cache.
    await act(async () => root.render(<LevelChip slug="runners" username="u5" />));
    await flush();
    expect(fetchMock.mock.calls.filter(([u]) => u.includes('member-levels'))).toHaveLength(1);
  });
});

describe('badge toast', () => {
  it('announces an earned badge once and acknowledges it', async () => {
    await act(async () =>
      root.render(
        <SessionProvider>
          <BadgeToast />
        </SessionProvider>,
      ),
    );
    await flush();
    await flush();
    const toast = container.querySelector('output.toasts')!;
    expect(toast.textContent).toContain('Badge earned: First thread');
    const seen = fetchMock.mock.calls.find(([u]) => u === '/api/v1/me/badges/seen')!;
    expect(JSON.parse(seen[1]!.body as string)).toEqual({ ids: [41] });
    expect((seen[1]!.headers as Record<string, string>)['content-type']).toBe('application/json');
    await act(async () =>
      (container.querySelector('button[aria-label="Dismiss First thread"]') as HTMLButtonElement).click(),
    );
    expect(toast.textContent).toBe('');
  });
});
