import { useEffect } from 'react';
import { ReadTracker } from './readTracker.ts';
import { sendReadEvents } from './transport.ts';

/** Tracks reading of a thread while its page is mounted. */
export function useReadTracker(threadId: number | null | undefined): void {
  useEffect(() => {
    if (!threadId) return;
    const tracker = new ReadTracker({ threadId, send: (events) => sendReadEvents(events) });
    tracker.start();
    return () => tracker.stop();
  }, [threadId]);
}
