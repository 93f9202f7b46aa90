import { useEffect, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { useLive } from '../realtime/useLive.ts';
import { notificationsApi } from './api.ts';

/** The header's bell: unread count, kept current live (this tab, other tabs, other devices). */
export function NotificationBell({ current }: { current: boolean }) {
  const { me } = useSession();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!me) return;
    let gone = false;
    notificationsApi.unreadCount().then(
      (r) => !gone && setCount(r.unreadCount),
      () => {},
    );
    return () => {
      gone = true;
    };
  }, [me]);
  useLive(me ? { topic: 'inbox' } : null, (e) => {
    if (e.kind === 'notification.created' || e.kind === 'notification.read') setCount(e.data.unreadCount);
  });
  const n = count ?? 0;
  return (
    <a href="/notifications" className="bell" aria-current={current ? 'page' : undefined} data-testid="bell">
      <svg
        aria-hidden="true"
        width="18"
        height="18"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      <span className="visually-hidden">{n ? `Notifications, ${n} unread` : 'Notifications'}</span>
      <span className={n ? 'bell-count' : 'bell-count bell-count-empty'} aria-hidden="true">
        {n > 99 ? '99+' : n}
      </span>
    </a>
  );
}
