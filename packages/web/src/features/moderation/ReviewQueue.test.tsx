import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush, mockApi, mount, type } from '../../lib/testing.tsx';
import type { QueueItem } from './api.ts';
import { EMPTY_DRAFT } from './QueueCard.tsx';
import { actBody, ReviewQueue } from './ReviewQueue.tsx';
import { shortcutFor } from './shortcuts.ts';

const item = (id: number, title: string, held = false): QueueItem => ({
  id,
  queue: 'community',
  community: 'runners',
  status: 'open',
  held,
  score: 6 - id,
  reportCount: 1,
  reasons: { spam: 1 },
  target: {
    type: 'thread',
    id: id * 10,
    threadId: id * 10,
    title,
    body: `${title} body`,
    deleted: false,
    pending: held,
    locked: false,
  },
  author: { id: 5, username: 'sam', displayName: 'Sam' },
  reports: [
    {
      id,
      source: held ? 'automod' : 'member',
      reason: 'spam',
      rule: { number: 2, version: 1, text: 'No spam.' },
      note: '',
      weight: 3,
      reporter: held ? null : { id: 6, username: 'rita', displayName: 'Rita' },
      createdAt: '2026-06-01T10:00:00.000Z',
    },
  ],
  authorRecord: {
    counts: { warn: 1, approve: 2 },
    activeSanction: null,
    suggested: { action: 'mute', durationHours: 24, priorSteps: 1 },
  },
  createdAt: '2026-06-01T10:00:00.000Z',
  updatedAt: '2026-06-01T10:00:00.000Z',
  resolution: null,
  resolvedBy: null,
  resolvedAt: null,
});

afterEach(() => vi.unstubAllGlobals());

const key = (el: Element, k: string) =>
  act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });

describe('review queue', () => {
  it('maps keys to actions, never while typing or with a modifier', () => {
    const input = document.createElement('input');
    expect(shortcutFor({ key: 'a' })).toBe('approve');
    expect(shortcutFor({ key: 'j' })).toBe('next');
    expect(shortcutFor({ key: 'a', target: input })).toBeNull();
    expect(shortcutFor({ key: 'r', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'z' })).toBeNull();
  });

  it('sends durations only where they apply; a mute without one follows the ladder', () => {
    const d = { ...EMPTY_DRAFT, reason: ' Spam ', rule: 2, muteHours: null, banHours: null };
    expect(actBody('mute', d)).toEqual({ action: 'mute', reason: 'Spam', ruleNumber: 2 });
    expect(actBody('ban', d)).toEqual({ action: 'ban', reason: 'Spam', ruleNumber: 2, durationHours: null });
    expect(actBody('remove', { ...d, muteHours: 72 })).toEqual({
      action: 'remove',
      reason: 'Spam',
      ruleNumber: 2,
    });
    expect(actBody('approve', EMPTY_DRAFT)).toEqual({ action: 'approve' });
  });

  it('shows each item with its reports, record and suggested step; acts from the keyboard', async () => {
    const calls = mockApi({
      'GET /communities/runners/moderation/queue?limit=25': {
        items: [item(1, 'Cheap watches', true), item(2, 'Rude reply')],
        nextCursor: null,
      },
      'GET /communities/runners/guidelines': {
        version: 1,
        body: '1. Be kind\n2. No spam.',
        rules: [
          { number: 1, text: 'Be kind' },
          { number: 2, text: 'No spam.' },
        ],
        createdAt: '2026-06-01T00:00:00.000Z',
        me: null,
      },
      'POST /moderation/items/1/actions': { actionIds: [1], itemId: 1, resolution: 'approve' },
      'POST /moderation/items/2/actions': { actionIds: [2], itemId: 2, resolution: 'remove' },
    });
    const v = await mount(<ReviewQueue slug="runners" />);
    const cards = [...v.container.querySelectorAll<HTMLElement>('.queue-item')];
    expect(cards.map((c) => c.querySelector('h3')!.textContent)).toEqual(['Cheap watches', 'Rude reply']);
    expect(cards[0]!.textContent).toContain('Held for approval');
    expect(cards[0]!.textContent).toContain('automatic moderation');
    expect(cards[1]!.textContent).toContain('rule 2: No spam.');
    expect(cards[1]!.querySelector('.suggested')!.textContent).toBe('Suggested next step: Mute for 1 day');
    // Approvals are not held against the author.
    expect(cards[1]!.querySelector('.queue-author')!.textContent).toContain('warned 1×');
    expect(cards[1]!.querySelector('.queue-author')!.textContent).not.toContain('approved');

    // a on the first item approves it; focus moves on to the next open one.
    cards[0]!.focus();
    await key(cards[0]!, 'a');
    await flush();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', path: '/moderation/items/1/actions', body: { action: 'approve' } },
    ]);
    expect(cards[0]!.textContent).toContain('Done: Approved.');
    expect(document.activeElement).toBe(cards[1]);

    // r without a reason asks for one (focus in the field); Enter there removes with it.
    await key(cards[1]!, 'r');
    const reason = cards[1]!.querySelector<HTMLInputElement>('#reason-2')!;
    expect(document.activeElement).toBe(reason);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    await act(async () => type(reason, 'Insults are not allowed'));
    await act(async () => {
      reason.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await flush();
    expect(calls.filter((c) => c.method === 'POST')[1]).toEqual({
      method: 'POST',
      path: '/moderation/items/2/actions',
      body: { action: 'remove', reason: 'Insults are not allowed' },
    });
    expect(cards[1]!.textContent).toContain('Done: Removed.');
    await v.unmount();
  });

  it("shows the server's message on the item where an action failed", async () => {
    mockApi({
      'GET /communities/runners/moderation/queue?limit=25': {
        items: [item(1, 'Cheap watches')],
        nextCursor: null,
      },
      'GET /communities/runners/guidelines': {
        version: 1,
        body: '',
        rules: [],
        createdAt: '2026-06-01T00:00:00.000Z',
        me: null,
      },
      'POST /moderation/items/1/actions': new Response(
        JSON.stringify({
          error: { code: 'ALREADY_DECIDED', message: 'Another moderator already handled this item' },
        }),
        { status: 409 },
      ),
    });
    const v = await mount(<ReviewQueue slug="runners" />);
    await act(async () => v.button(/^Lock/)!.click());
    await flush();
    expect(v.container.querySelector('.queue-item [role="alert"]')!.textContent).toBe(
      'Another moderator already handled this item',
    );
    await v.unmount();
  });
});
