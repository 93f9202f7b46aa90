import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate, timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { useLive } from '../realtime/useLive.ts';
import { type Notification, notificationsApi } from './api.ts';

/** The inbox: newest activity first, new ones arrive live; mark one or all read. */
export function NotificationsPage() {
  useTitle('Notifications');
  const { me, loading } = useSession();
  const list = useAsync(() => (me ? notificationsApi.list({ limit: 30 }) : Promise.resolve(null)), [me?.id]);
  useLive(
    me ? { topic: 'inbox' } : null,
    (e) => {
      if (e.kind === 'notification.created') {
        const n = e.data.notification as Notification;
        list.setData((p) =>
          p
            ? { ...p, unreadCount: e.data.unreadCount, items: [n, ...p.items.filter((x) => x.id !== n.id)] }
            : p!,
        );
      } else if (e.kind === 'notification.read') {
        const ids = new Set<number>(e.data.ids);
        list.setData((p) =>
          p
            ? {
                ...p,
                unreadCount: e.data.unreadCount,
                items: p.items.map((x) => (ids.has(x.id) ? { ...x, read: true } : x)),
              }
            : p!,
        );
      }
    },
    list.reload,
  );
  const mark = useAction(async (body: { ids?: number[]; all?: boolean }) => {
    const r = await notificationsApi.markRead(body);
    const ids = body.ids ? new Set(body.ids) : null;
    list.setData((p) =>
      p
        ? {
            ...p,
            unreadCount: r.unreadCount,
            items: p.items.map((x) => (!ids || ids.has(x.id) ? { ...x, read: true } : x)),
          }
        : p!,
    );
  });
  const more = useAction(async () => {
    const next = await notificationsApi.list({ limit: 30, cursor: list.data?.nextCursor });
    list.setData((p) => (p ? { ...p, items: [...p.items, ...next.items], nextCursor: next.nextCursor } : p!));
  });
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="see your notifications" />;
  const data = list.data;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Notifications</h1>
        <div className="actions">
          <a className="button button-secondary button-small" href="/settings/notifications">
            Preferences
          </a>
          <button
            type="button"
            className="button button-small"
            disabled={!data?.unreadCount || mark.pending}
            onClick={() => mark.run({ all: true })}
          >
            Mark all read
          </button>
        </div>
      </div>
      <ErrorMessage error={list.error ?? mark.error} />
      {!data ? (
        <Loading label="Loading notifications…" lines={5} height="20rem" />
      ) : data.items.length === 0 ? (
        <p className="muted notice">
          Nothing yet. Replies, mentions, reactions and messages will show up here.
        </p>
      ) : (
        <ul className="notification-list" aria-label={`${data.unreadCount} unread`}>
          {data.items.map((n) => (
            <li key={n.id} className={n.read ? 'notification card' : 'notification card unread'}>
              <a href={n.url} onClick={() => !n.read && mark.run({ ids: [n.id] })}>
                {!n.read && <span className="visually-hidden">Unread: </span>}
                {n.text}
              </a>
              {n.excerpt && <p className="excerpt">{n.excerpt}</p>}
              <p className="meta">
                <time dateTime={n.updatedAt} title={formatDate(n.updatedAt)}>
                  {timeAgo(n.updatedAt)}
                </time>
                {!n.read && (
                  <button type="button" className="link-button" onClick={() => mark.run({ ids: [n.id] })}>
                    Mark read
                  </button>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
      {data?.nextCursor && (
        <button
          type="button"
          className="button button-secondary"
          disabled={more.pending}
          onClick={() => more.run()}
        >
          {more.pending ? 'Loading…' : 'Older notifications'}
        </button>
      )}
      <ErrorMessage error={more.error} />
    </div>
  );
}
