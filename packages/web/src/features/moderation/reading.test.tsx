import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockApi, mount } from '../../lib/testing.tsx';
import { READ_INTERVAL_MS, useReadingReport } from './reading.ts';

function Reader({ posts }: { posts: number }) {
  useReadingReport(42, posts, true);
  return null;
}

let visibility: DocumentVisibilityState = 'visible';
beforeEach(() => {
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('reading reports (trust levels)', () => {
  it('reports time on screen once a minute, not while the tab is hidden, and when leaving', async () => {
    const calls = mockApi({ 'POST /threads/42/read': { creditedMs: 1, postsRead: 1 } });
    // The interval and the clock are fake; the helpers' setTimeout stays real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const v = await mount(<Reader posts={3} />);
    const reads = () => calls.filter((c) => c.path === '/threads/42/read').map((c) => c.body);

    await act(async () => vi.advanceTimersByTime(READ_INTERVAL_MS));
    expect(reads()).toHaveLength(1);
    expect((reads()[0] as { ms: number }).ms).toBeGreaterThanOrEqual(READ_INTERVAL_MS - 100);
    expect((reads()[0] as { postsRead: number }).postsRead).toBe(3);

    // Hidden for two minutes: nothing is counted meanwhile.
    await act(async () => {
      visibility = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      vi.advanceTimersByTime(2 * READ_INTERVAL_MS);
    });
    const afterHidden = reads().length;
    await act(async () => {
      visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      vi.advanceTimersByTime(5000);
    });
    await v.unmount();
    const last = reads().at(-1) as { ms: number };
    expect(reads().length).toBe(afterHidden + 1);
    expect(last.ms).toBeLessThan(10_000);
  });
});
