import { act, useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api.ts';
import { loadMarkdown } from '../../lib/markdown.ts';
import { flush, mockApi, mount } from '../../lib/testing.tsx';
import { WriteError } from './GuidelinesPrompt.tsx';

beforeAll(() => loadMarkdown());
afterEach(() => vi.unstubAllGlobals());

const refused = new ApiError(
  403,
  'GUIDELINES_REACCEPT_REQUIRED',
  'The community guidelines changed (version 3); read and accept them to post',
);

function Harness({ error }: { error: unknown }) {
  const [e, setE] = useState<unknown>(error);
  return (
    <>
      <WriteError error={e} slug="runners" onAccepted={() => setE(null)} />
      <span id="state">{e ? 'refused' : 'clear'}</span>
    </>
  );
}

describe('guidelines re-acceptance where a write was refused', () => {
  it('shows the new version and accepts exactly it, then lets the member write again', async () => {
    const calls = mockApi({
      'GET /communities/runners/guidelines': {
        version: 3,
        body: '1. Be **kind**.\n2. Credit photos.',
        rules: [],
        createdAt: '2026-06-02T00:00:00.000Z',
        me: { acceptedVersion: 2, reacceptRequired: true },
      },
      'POST /communities/runners/guidelines/accept': { acceptedVersion: 3, reacceptRequired: false },
    });
    const v = await mount(<Harness error={refused} />);
    expect(v.container.querySelector('h2')!.textContent).toBe('The community guidelines changed');
    expect(v.container.querySelector('.guidelines-text strong')!.textContent).toBe('kind');
    const accept = v.button('Accept the new guidelines')!;
    expect(accept.disabled).toBe(true);
    await act(async () => v.container.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click());
    await act(async () => accept.click());
    await flush();
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/communities/runners/guidelines/accept',
      body: { version: 3 },
    });
    expect(v.container.querySelector('#state')!.textContent).toBe('clear');
    expect(v.container.querySelector('.guidelines-accept')).toBeNull();
    await v.unmount();
  });

  it("shows any other error's message as it is", async () => {
    mockApi({});
    const v = await mount(<Harness error={new ApiError(403, 'MUTED', 'You are muted in this community')} />);
    expect(v.container.querySelector('[role="alert"]')!.textContent).toBe('You are muted in this community');
    await v.unmount();
  });
});
