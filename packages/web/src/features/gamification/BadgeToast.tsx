import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { useLive } from '../realtime/useLive.ts';
import { gamification, type UnseenBadge } from './api.ts';

/** How often the toast asks for new badges while the page is open. */
export const POLL_MS = 20_000;

/**
 * "You earned a badge" toasts. A badge arrives live as a `badge` notification on the member's
 * inbox channel, which makes the toast look right away; it also looks on navigation, when the
 * tab regains focus and every 20 s (a closed socket, a badge earned in another tab). It reads
 * GET /me/badges/unseen and acknowledges what it showed, so each badge is announced once.
 * `window.dispatchEvent(new Event('hearth:badges'))` makes it look too.
 */
export function BadgeToast() {
  const { me } = useSession();
  const { pathname } = useLocation();
  const [shown, setShown] = useState<UnseenBadge[]>([]);
  const busy = useRef(false);
  const check = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      const { items } = await gamification.unseen();
      if (items.length) {
        setShown((s) => [...s, ...items.filter((i) => !s.some((x) => x.id === i.id))].slice(-4));
        await gamification.seen(items.map((i) => i.id));
      }
    } catch {
      // A failed poll shows nothing; the next one tries again.
    } finally {
      busy.current = false;
    }
  }, []);
  useLive(me ? { topic: 'inbox' } : null, (e) => {
    if (e.kind === 'notification.created' && e.data.notification?.type === 'badge') void check();
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: looks again on every navigation
  useEffect(() => {
    if (me) void check();
  }, [me?.id, pathname, check]);
  useEffect(() => {
    if (!me) return;
    const timer = setInterval(() => void check(), POLL_MS);
    const onFocus = () => void check();
    window.addEventListener('focus', onFocus);
    window.addEventListener('hearth:badges', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('hearth:badges', onFocus);
    };
  }, [me, check]);
  useEffect(() => {
    if (!shown.length) return;
    const t = setTimeout(() => setShown((s) => s.slice(1)), 12_000);
    return () => clearTimeout(t);
  }, [shown]);
  return (
    <output className="toasts" aria-live="polite">
      {shown.map((b) => (
        <div key={b.id} className={`toast tier-${b.badge.tier}`}>
          <span className="tier-dot" aria-hidden="true" />
          <div className="grow">
            <strong>Badge earned: {b.badge.name}</strong>
            <div className="small">
              {b.badge.description} <a href={`/c/${b.community.slug}/leaderboard`}>{b.community.name}</a>
            </div>
          </div>
          <button
            type="button"
            className="link-button"
            aria-label={`Dismiss ${b.badge.name}`}
            onClick={() => setShown((s) => s.filter((x) => x.id !== b.id))}
          >
            ✕
          </button>
        </div>
      ))}
    </output>
  );
}
