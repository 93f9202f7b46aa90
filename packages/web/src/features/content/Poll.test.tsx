import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session.tsx';
import type { PollView } from '../events/api.ts';
import { Poll } from './Poll.tsx';

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
const hidden: PollView = {
  id: 1,
  threadId: 7,
  question: 'Which route?',
  maxChoices: 1,
  closesAt: null,
  closed: false,
  voterCount: 3,
  resultsVisible: false,
  myVote: null,
  canVote: true,
  options: [
    { id: 11, label: 'Ridge', votes: null },
    { id: 12, label: 'Lake', votes: null },
  ],
};
const voted: PollView = {
  ...hidden,
  voterCount: 4,
  resultsVisible: true,
  myVote: [12],
  canVote: false,
  options: [
    { id: 11, label: 'Ridge', votes: 1 },
    { id: 12, label: 'Lake', votes: 3 },
  ],
};

let container: HTMLDivElement;
let root: Root;
let voteAnswer: Response;
const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
  if (url === '/api/v1/me') return new Response(JSON.stringify(me));
  if (url === '/api/v1/threads/7/poll') return new Response(JSON.stringify({ poll: hidden }));
  if (url === '/api/v1/threads/7/poll/votes' && init?.method === 'POST') return voteAnswer;
  return new Response('{}', { status: 404 });
});
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const button = (name: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent === name);

beforeEach(() => {
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

async function render() {
  await act(async () =>
    root.render(
      <SessionProvider>
        <Poll threadId={7} isAuthor={false} />
      </SessionProvider>,
    ),
  );
  await flush();
  await flush();
}

describe('Poll', () => {
  it('shows no counts before voting, sends the choice, then shows the results', async () => {
    voteAnswer = new Response(JSON.stringify({ poll: voted }));
    await render();
    expect(container.textContent).toContain('Which route?');
    expect(container.querySelector('[data-testid="poll-results"]')).toBeNull();
    expect(button('Vote')?.disabled).toBe(true);
    const lake = [...container.querySelectorAll('label')].find((l) => l.textContent?.includes('Lake'))!;
    await act(async () => lake.querySelector('input')!.click());
    expect(button('Vote')?.disabled).toBe(false);
    await act(async () => button('Vote')!.click());
    await flush();
    const call = fetchMock.mock.calls.find(([u]) => u === '/api/v1/threads/7/poll/votes')!;
    expect(JSON.parse(String(call[1]!.body))).toEqual({ optionIds: [12] });
    const results = container.querySelector('[data-testid="poll-results"]')!;
    expect(results.textContent).toContain('3 (75%)');
    expect(results.textContent).toContain('your vote');
  });

  it("shows the server's message where the vote failed", async () => {
    voteAnswer = new Response(
      JSON.stringify({ error: { code: 'ALREADY_VOTED', message: 'You already voted in this poll' } }),
      {
        status: 409,
      },
    );
    await render();
    const ridge = [...container.querySelectorAll('label')].find((l) => l.textContent?.includes('Ridge'))!;
    await act(async () => ridge.querySelector('input')!.click());
    await act(async () => button('Vote')!.click());
    await flush();
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('You already voted in this poll');
  });
});
