import { CSRF_COOKIE, readCookie } from '../../lib/api.ts';
import type { ReadEvent } from './readTracker.ts';

const URL = '/api/v1/analytics/events';

/**
 * Sends a batch. Signed in, the request must carry the CSRF header, which sendBeacon cannot
 * set, so it is a `fetch` with `keepalive` (which also survives the page closing); signed
 * out, `navigator.sendBeacon` is enough. Failures are dropped: reading statistics are not
 * worth a retry loop in the reader's browser.
 */
export function sendReadEvents(events: ReadEvent[]): void {
  const body = JSON.stringify({ events });
  const csrf = readCookie(CSRF_COOKIE);
  if (!csrf && typeof navigator !== 'undefined' && navigator.sendBeacon) {
    if (navigator.sendBeacon(URL, new Blob([body], { type: 'application/json' }))) return;
  }
  void fetch(URL, {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(csrf && { 'x-csrf-token': csrf }) },
    body,
  }).catch(() => {});
}
