import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { type LiveEvent, type LiveStatus, live, type Topic } from './live.ts';

/**
 * Subscribes while the component is shown and someone is signed in (the live endpoint is for
 * members). The latest handlers are used without resubscribing on every render.
 */
export function useLive(topic: Topic | null, onEvent: (e: LiveEvent) => void, onResync?: () => void): void {
  const { me } = useSession();
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };
  const key = topic && me ? JSON.stringify(topic) : null;
  useEffect(() => {
    if (!key) return;
    return live().subscribe(
      JSON.parse(key) as Topic,
      (e) => handlers.current.onEvent(e),
      () => handlers.current.onResync?.(),
    );
  }, [key]);
}

export function useLiveStatus(): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(live().status);
  useEffect(() => live().onStatus(setStatus), []);
  return status;
}
