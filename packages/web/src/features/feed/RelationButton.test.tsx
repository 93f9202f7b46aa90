import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, mockApi, mount } from '../../lib/testing.tsx';
import { RelationButton } from './RelationButton.tsx';
import { resetSocial } from './social.ts';

beforeEach(() => resetSocial());
afterEach(() => vi.unstubAllGlobals());

describe('follow and mute buttons', () => {
  it('read every page of the follows once, and show the state on every button for the name', async () => {
    const calls = mockApi({
      'GET /follows/tags?limit=100': {
        items: [{ name: 'glaze', since: '2026-06-01T00:00:00.000Z' }],
        nextCursor: 'p2',
      },
      'GET /follows/tags?limit=100&cursor=p2': {
        items: [{ name: 'kiln', since: '2026-06-01T00:00:00.000Z' }],
        nextCursor: null,
      },
      'POST /follows/tags/raku': { following: true },
      'DELETE /follows/tags/Kiln': { following: false },
    });
    const v = await mount(
      <>
        <RelationButton rel="follows" kind="tags" name="Kiln" label="#kiln" />
        <RelationButton rel="follows" kind="tags" name="raku" label="#raku" />
        <RelationButton rel="follows" kind="tags" name="raku" label="#raku" />
      </>,
    );
    await flush();
    const [kiln, raku1, raku2] = [...v.container.querySelectorAll('button')];
    expect(calls.filter((c) => c.path.startsWith('/follows/tags?'))).toHaveLength(2);
    expect(kiln!.getAttribute('aria-label')).toBe('Follow #kiln');
    expect(kiln!.getAttribute('aria-pressed')).toBe('true'); // names compare case-insensitively
    expect(raku1!.getAttribute('aria-pressed')).toBe('false');

    await act(async () => raku1!.click());
    await flush();
    expect(raku1!.getAttribute('aria-pressed')).toBe('true');
    expect(raku2!.getAttribute('aria-pressed')).toBe('true');
    expect(raku2!.textContent).toBe('Following');

    await act(async () => kiln!.click());
    await flush();
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/follows/tags/Kiln' });
    expect(kiln!.getAttribute('aria-pressed')).toBe('false');
    await v.unmount();
  });

  it('shows the error where the toggle failed, and nothing for visitors', async () => {
    mockApi({
      'GET /mutes/users?limit=100': { items: [], nextCursor: null },
      'POST /mutes/users/ghost': new Response(
        JSON.stringify({ error: { code: 'USER_NOT_FOUND', message: 'No member "ghost"' } }),
        { status: 404 },
      ),
    });
    const v = await mount(<RelationButton rel="mutes" kind="users" name="ghost" label="@ghost" />);
    await act(async () => v.button('Mute @ghost')!.click());
    await flush();
    expect(v.container.querySelector('[role="alert"]')!.textContent).toBe('No member "ghost"');
    await v.unmount();

    mockApi({}, null);
    const anon = await mount(<RelationButton rel="mutes" kind="users" name="ghost" label="@ghost" />);
    expect(anon.container.querySelector('button')).toBeNull();
    await anon.unmount();
  });
});
