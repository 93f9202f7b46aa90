import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ThreadSummary } from '../../lib/api.ts';
import { mockApi, mount } from '../../lib/testing.tsx';
import { sponsorshipOf } from './Sponsored.tsx';
import { ThreadItem } from './ThreadList.tsx';
import { ThreadPage } from './ThreadPage.tsx';

const thread: ThreadSummary = {
  id: 7,
  community: { id: 1, slug: 'runners', name: 'Runners' },
  author: { id: 2, username: 'bo', displayName: 'Bo', avatarUrl: null },
  title: 'New trail shoes tested',
  excerpt: 'Three months on rocky trails.',
  tags: ['gear'],
  score: 4,
  reactionCounts: {},
  myReaction: null,
  commentCount: 2,
  pinned: false,
  locked: false,
  deleted: false,
  createdAt: '2026-06-01T10:00:00.000Z',
  editedAt: null,
  lastCommentAt: null,
};
const sponsored = { ...thread, sponsored: { campaignId: 3, brand: { slug: 'acme', name: 'Acme Outdoor' } } };

afterEach(() => vi.unstubAllGlobals());

describe('sponsored threads', () => {
  it('labels a thread card "Sponsored · <brand>" when the thread carries a sponsorship', async () => {
    mockApi({});
    const v = await mount(
      <ol>
        <ThreadItem t={sponsored} />
        <ThreadItem t={{ ...thread, id: 8 }} />
        <ThreadItem t={{ ...thread, id: 9, sponsored: null } as ThreadSummary} />
      </ol>,
    );
    const cards = [...v.container.querySelectorAll('.thread-item')];
    expect(cards[0]!.querySelector('h3')!.textContent).toContain('Sponsored · Acme Outdoor');
    expect(cards[0]!.querySelector('.badge-sponsored')!.textContent).toBe('Sponsored · Acme Outdoor');
    // Absent (main today) or null: no label.
    expect(cards[1]!.querySelector('.badge-sponsored')).toBeNull();
    expect(cards[2]!.querySelector('.badge-sponsored')).toBeNull();
    await v.unmount();
  });

  it('ignores a sponsorship without a brand name', () => {
    expect(sponsorshipOf(sponsored)).toEqual(sponsored.sponsored);
    expect(sponsorshipOf({ ...thread, sponsored: { campaignId: 1, brand: null } } as never)).toBeNull();
  });

  it('shows why a feed thread is there and its community', async () => {
    mockApi({});
    const v = await mount(
      <ol>
        <ThreadItem t={thread} showCommunity reasons={['You follow #gear', 'By @bo, whom you follow']} />
      </ol>,
    );
    expect(v.container.querySelector('.community-link')!.textContent).toBe('Runners');
    expect(v.container.querySelector('.reasons')!.textContent).toBe(
      'Why you see this: You follow #gear · By @bo, whom you follow',
    );
    await v.unmount();
  });

  it('labels the thread page too', async () => {
    mockApi({
      'GET /threads/7': { ...sponsored, body: 'Body', bodyHtml: '<p>Body</p>', mentions: [] },
      'GET /communities/runners': {
        id: 1,
        slug: 'runners',
        name: 'Runners',
        description: '',
        visibility: 'public',
        joinPolicy: 'open',
        guidelines: '',
        memberCount: 3,
        threadCount: 1,
        createdAt: '2026-06-01T00:00:00.000Z',
        membership: null,
      },
      'GET /threads/7/comments*': { items: [], nextCursor: null },
      'GET /threads/7/notes': { items: [] },
    });
    const v = await mount(<ThreadPage slug="runners" id={7} />);
    expect(v.container.querySelector('h1 .badge-sponsored')!.textContent).toBe('Sponsored · Acme Outdoor');
    await v.unmount();
  });
});
