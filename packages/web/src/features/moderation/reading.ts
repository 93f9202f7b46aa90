import { useEffect, useRef } from 'react';
import { modApi } from './api.ts';

/** How often reading is reported (the server credits at most 2 minutes per report). */
export const READ_INTERVAL_MS = 60_000;

/**
 * Reports reading a thread while it is on screen (POST /threads/{id}/read): time with the tab
 * visible, and how many of its posts were there to read. Trust levels rise from this real
 * activity. Once a minute, and when the page is hidden or left; nothing while hidden.
 */
export function useReadingReport(threadId: number, posts: number, enabled: boolean) {
  const postsRef = useRef(posts);
  postsRef.current = posts;
  useEffect(() => {
    if (!enabled) return;
    const now = () => Date.now();
    let since: number | null = document.visibilityState === 'visible' ? now() : null;
    let shown = 0;
    const flush = () => {
      if (since !== null) {
        shown += now() - since;
        since = document.visibilityState === 'visible' ? now() : null;
      }
      const ms = Math.min(Math.round(shown), 600_000);
      if (ms < 1000) return;
      shown = 0;
      modApi.read(threadId, ms, Math.min(postsRef.current, 100_000)).catch(() => {});
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') since ??= now();
      else flush();
    };
    const timer = setInterval(flush, READ_INTERVAL_MS);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [threadId, enabled]);
}
