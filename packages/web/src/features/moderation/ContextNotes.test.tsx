import { act, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush, mockApi, mount, type } from '../../lib/testing.tsx';
import type { ContextNote } from './api.ts';
import { type NotesCtx, NotesFor } from './ContextNotes.tsx';

const note = (id: number, o: Partial<ContextNote>): ContextNote => ({
  id,
  targetType: 'thread',
  targetId: 7,
  threadId: 7,
  body: `Note ${id}`,
  author: 'bo',
  status: 'needs_more_ratings',
  shown: false,
  ratingCount: 0,
  intercept: null,
  factor: null,
  myRating: null,
  canRate: false,
  createdAt: '2026-06-01T10:00:00.000Z',
  scoredAt: null,
  ...o,
});

function Harness({ initial, canWrite }: { initial: ContextNote[]; canWrite: boolean }) {
  const [notes, setNotes] = useState(initial);
  const ctx: NotesCtx = {
    notes,
    canWrite,
    isModerator: false,
    replace: (n) => setNotes((ns) => ns.map((x) => (x.id === n.id ? n : x))),
    add: (n) => setNotes((ns) => [...ns, n]),
    remove: (id) => setNotes((ns) => ns.filter((x) => x.id !== id)),
  };
  return <NotesFor ctx={ctx} targetType="thread" targetId={7} />;
}

afterEach(() => vi.unstubAllGlobals());

describe('context notes', () => {
  it('shows a Helpful note to readers, and a note needing ratings to raters, who rate it', async () => {
    const calls = mockApi({ 'POST /notes/2/ratings': { noteId: 2, value: 1 } });
    const v = await mount(
      <Harness
        canWrite={false}
        initial={[
          note(1, { status: 'helpful', shown: true, body: 'Shown context', ratingCount: 9 }),
          note(2, { body: 'Waiting context', canRate: true }),
          note(3, { targetType: 'comment', targetId: 70, body: 'On a comment' }),
        ]}
      />,
    );
    const [shown, pending, ...rest] = [...v.container.querySelectorAll('aside')];
    expect(rest).toEqual([]);
    expect(shown!.getAttribute('aria-label')).toBe('Context added by readers');
    expect(shown!.textContent).toContain('Shown context');
    expect(shown!.querySelector('button')).toBeNull();
    expect(pending!.textContent).toContain('A note needs your rating');
    expect(pending!.textContent).toContain('not shown to readers yet');
    const helpful = [...pending!.querySelectorAll('button')].find((b) => b.textContent === 'Helpful')!;
    await act(async () => helpful.click());
    await flush();
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/notes/2/ratings', body: { helpful: 'yes' } });
    expect(helpful.getAttribute('aria-pressed')).toBe('true');
    await v.unmount();
  });

  it('lets a trusted member add context, once per post', async () => {
    const calls = mockApi({
      'POST /notes': (body: unknown) => note(5, { ...(body as object), author: 'ada', canRate: false }),
    });
    const v = await mount(<Harness canWrite initial={[]} />);
    await act(async () => v.button('Add context')!.click());
    await act(async () => type(v.container.querySelector('textarea')!, ' The photo is from 2019. '));
    await act(async () => v.button('Add note')!.click());
    await flush();
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/notes',
      body: { targetType: 'thread', targetId: 7, body: 'The photo is from 2019.' },
    });
    expect(v.container.querySelector('aside')!.textContent).toContain('Your note: waiting for ratings');
    expect(v.button('Add context')).toBeUndefined();
    await v.unmount();
  });
});
