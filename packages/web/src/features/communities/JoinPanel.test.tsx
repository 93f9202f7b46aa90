import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session.tsx';
import type { Community } from '../../lib/api.ts';
import { loadMarkdown } from '../../lib/markdown.ts';
import { JoinPanel } from './JoinPanel.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const community: Community = {
  id: 1,
  slug: 'runners',
  name: 'Runners',
  description: '',
  visibility: 'public',
  joinPolicy: 'open',
  guidelines: '1. Be **kind**.',
  memberCount: 3,
  threadCount: 0,
  createdAt: '2026-06-01T00:00:00.000Z',
  membership: null,
};
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

let container: HTMLDivElement;
let root: Root;
let joinResponse: Response;
const fetchMock = vi.fn(async (url: string, _init?: RequestInit) =>
  url === '/api/v1/me' ? new Response(JSON.stringify(me)) : joinResponse,
);
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const button = (name: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent === name);

beforeEach(async () => {
  await loadMarkdown();
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

async function renderPanel(c: Community, onChanged = () => {}) {
  await act(async () =>
    root.render(
      <SessionProvider>
        <JoinPanel c={c} onChanged={onChanged} />
      </SessionProvider>,
    ),
  );
  await flush();
}

describe('JoinPanel', () => {
  it('shows the guidelines and joins only once they are accepted', async () => {
    joinResponse = new Response(JSON.stringify({ status: 'active', role: 'member' }));
    const onChanged = vi.fn();
    await renderPanel(community, onChanged);
    await act(async () => button('Join')!.click());
    expect(container.querySelector('.guidelines-text')!.innerHTML).toContain('<strong>kind</strong>');
    const confirm = [...container.querySelectorAll('.guidelines-accept button')][0] as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    const box = container.querySelector('input[type="checkbox"]') as HTMLInputElement;
    expect(box.closest('label')!.textContent).toContain('I have read and accept these guidelines');
    await act(async () => box.click());
    expect(confirm.disabled).toBe(false);
    await act(async () => confirm.click());
    await flush();
    const join = fetchMock.mock.calls.find(([u]) => u === '/api/v1/communities/runners/join')!;
    expect(JSON.parse(join[1]!.body as string)).toEqual({ acceptGuidelines: true });
    expect(onChanged).toHaveBeenCalled();
    expect(container.querySelector('.guidelines-accept')).toBeNull();
  });

  it('shows the server message where the join failed', async () => {
    joinResponse = new Response(
      JSON.stringify({
        error: { code: 'JOIN_BY_INVITE_ONLY', message: 'This community can only be joined by invitation' },
      }),
      { status: 403 },
    );
    await renderPanel({ ...community, guidelines: '' });
    await act(async () => button('Join')!.click());
    await flush();
    expect(container.querySelector('[role="alert"]')!.textContent).toBe(
      'This community can only be joined by invitation',
    );
  });

  it('offers the right action for each membership state', async () => {
    await renderPanel({ ...community, joinPolicy: 'request' });
    expect(button('Ask to join')).toBeDefined();
    await renderPanel({ ...community, joinPolicy: 'invite' });
    expect(container.textContent).toContain('Joining is by invitation only.');
    await renderPanel({
      ...community,
      membership: { role: 'member', status: 'pending', guidelinesAcceptedAt: null },
    });
    expect(button('Withdraw request')).toBeDefined();
    await renderPanel({
      ...community,
      membership: { role: 'member', status: 'invited', guidelinesAcceptedAt: null },
    });
    expect(button('Accept invitation')).toBeDefined();
    expect(button('Decline')).toBeDefined();
    await renderPanel({
      ...community,
      membership: { role: 'member', status: 'active', guidelinesAcceptedAt: null },
    });
    expect(button('Leave')).toBeDefined();
  });
});
