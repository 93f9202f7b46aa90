import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { eventsApi } from './api.ts';

/** The host's door list: everyone going, a filter box, one tap to check in or out. */
export function CheckInPage({ slug, id }: { slug: string; id: number }) {
  const { me } = useSession();
  const event = useAsync(() => eventsApi.get(id), [id, me?.id]);
  const list = useAsync(() => eventsApi.attendees(id), [id, me?.id]);
  const [filter, setFilter] = useState('');
  const toggle = useAction(async (username: string, checkedIn: boolean) => {
    list.setData(await eventsApi.checkIn(id, username, checkedIn));
  });
  useTitle(event.data ? `Check-in · ${event.data.title}` : 'Check-in');
  if (event.error instanceof ApiError && event.error.status === 404) return <NotFound what="event" />;
  if (event.error) return <ErrorMessage error={event.error} />;
  if (!event.data) return <Loading lines={6} height="20rem" />;
  if (!event.data.canManage)
    return <p className="notice">Only the organiser and moderators can check people in.</p>;
  const going = (list.data?.items ?? []).filter((a) => a.status === 'going');
  const shown = going.filter((a) =>
    `${a.user.displayName} ${a.user.username}`.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  const present = going.filter((a) => a.checkedIn).length;
  return (
    <section className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${slug}/e/${id}`}>{event.data.title}</a>
      </nav>
      <h1>Check-in</h1>
      <p className="meta" aria-live="polite">
        {present} of {going.length} checked in
      </p>
      <label>
        Find someone
        <input value={filter} onChange={(e) => setFilter(e.target.value)} type="search" />
      </label>
      <ErrorMessage error={list.error ?? toggle.error} />
      {list.loading && !list.data ? (
        <Loading lines={4} />
      ) : (
        <ul className="list card">
          {shown.map((a) => (
            <li key={a.user.id} className="list-row">
              <Avatar user={a.user} size={32} />
              <span className="grow">
                {a.user.displayName} <span className="muted">@{a.user.username}</span>
              </span>
              <button
                type="button"
                className={a.checkedIn ? 'button' : 'button button-secondary'}
                aria-pressed={!!a.checkedIn}
                disabled={toggle.pending}
                onClick={() => toggle.run(a.user.username, !a.checkedIn)}
              >
                {a.checkedIn ? 'Checked in' : 'Check in'}
              </button>
            </li>
          ))}
          {shown.length === 0 && <li className="muted">Nobody going matches.</li>}
        </ul>
      )}
    </section>
  );
}
