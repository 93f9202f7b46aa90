import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api, type Community } from '../../lib/api.ts';
import { plural } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunityHeader, canModerate, isActiveMember } from '../communities/CommunityPage.tsx';
import { eventsApi, formatLocal, type HearthEvent } from './api.ts';
import { CalendarFeeds } from './CalendarFeeds.tsx';

/** A community's events (hosted and co-hosted), upcoming or past, and who may create one. */
export function EventsPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const c = community.data;
  useTitle(c ? `Events · ${c.name}` : 'Events');
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading label="Loading events…" lines={5} height="20rem" />;
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="events" onChanged={community.reload} />
      <EventList c={c} />
      <CalendarFeeds c={c} />
    </div>
  );
}

function EventList({ c }: { c: Community }) {
  const { me } = useSession();
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const first = useAsync(() => eventsApi.list(c.slug, { when }), [c.slug, when, me?.id]);
  const settings = useAsync(() => eventsApi.settings(c.slug), [c.slug]);
  const [more, setMore] = useState<HearthEvent[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const next = cursor === undefined ? first.data?.nextCursor : cursor;
  const loadMore = useAction(async () => {
    const page = await eventsApi.list(c.slug, { when, cursor: next });
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor);
  });
  const mod = canModerate(c, me?.isAdmin);
  const canCreate = mod || (settings.data?.createPolicy === 'members' && isActiveMember(c));
  const items = [...(first.data?.items ?? []), ...more];
  return (
    <section className="card stack" aria-labelledby="events-h">
      <div className="row spread">
        <h2 id="events-h">Events</h2>
        {canCreate && (
          <a className="button" href={`/c/${c.slug}/events/new`}>
            New event
          </a>
        )}
      </div>
      <fieldset className="plain-fieldset">
        <legend className="visually-hidden">Which events</legend>
        <div className="row">
          {(['upcoming', 'past'] as const).map((w) => (
            <button
              key={w}
              type="button"
              aria-pressed={when === w}
              className={when === w ? 'button' : 'button button-secondary'}
              onClick={() => {
                setWhen(w);
                setMore([]);
                setCursor(undefined);
              }}
            >
              {w === 'upcoming' ? 'Upcoming' : 'Past'}
            </button>
          ))}
        </div>
      </fieldset>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading lines={3} height="10rem" />
      ) : items.length === 0 ? (
        <p className="muted">{when === 'upcoming' ? 'No upcoming events yet.' : 'No past events.'}</p>
      ) : (
        <ul className="list event-list">
          {items.map((e) => (
            <li key={e.id} className="list-row event-row">
              <div className="event-date" aria-hidden="true">
                <span>{formatLocal(e.startsAtLocal).split(',')[0]}</span>
              </div>
              <div className="grow">
                <a href={`/c/${e.community.slug}/e/${e.id}`} className="event-title">
                  {e.title}
                </a>
                {e.cancelled && <span className="badge">Cancelled</span>}
                <div className="muted small">
                  {formatLocal(e.startsAtLocal)} ({e.timeZone}) ·{' '}
                  {e.mode === 'online' ? 'Online' : e.location}
                </div>
                <div className="muted small">
                  {plural(e.goingCount, 'going', 'going')}
                  {e.capacity != null && ` of ${e.capacity}`}
                  {e.waitlistCount > 0 && ` · ${e.waitlistCount} on the waitlist`}
                  {e.community.id !== c.id && ` · hosted by ${e.community.name}`}
                  {e.myRsvp && ` · you: ${e.myRsvp.status.replace('_', ' ')}`}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => loadMore.run()}
          disabled={loadMore.pending}
        >
          Show more
        </button>
      )}
      <ErrorMessage error={loadMore.error} />
    </section>
  );
}
