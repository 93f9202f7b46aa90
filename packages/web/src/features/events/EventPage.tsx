import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError } from '../../lib/api.ts';
import { plural } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CohostPanel } from '../collaborations/SharePanels.tsx';
import { type Attendee, eventsApi, formatLocal, googleCalendarUrl, type HearthEvent } from './api.ts';

const RSVP_LABEL = { going: 'Going', maybe: 'Maybe', not_going: 'Not going' } as const;

/** An event: when (in its zone and yours), where, RSVP with waitlist, attendees, calendar links, host tools. */
export function EventPage({ slug, id }: { slug: string; id: number }) {
  const { me } = useSession();
  const event = useAsync(() => eventsApi.get(id), [id, me?.id]);
  useTitle(event.data?.title);
  if (!Number.isInteger(id) || id < 1 || (event.error instanceof ApiError && event.error.status === 404))
    return <NotFound what="event" />;
  if (event.error) return <ErrorMessage error={event.error} />;
  if (!event.data) return <Loading label="Loading event…" lines={6} height="28rem" />;
  return <EventView slug={slug} e={event.data} onChange={event.setData} reload={event.reload} />;
}

function EventView({
  slug,
  e,
  onChange,
  reload,
}: {
  slug: string;
  e: HearthEvent;
  onChange: (e: HearthEvent) => void;
  reload: () => void;
}) {
  const { me } = useSession();
  const attendees = useAsync(
    () => (me && (e.canRsvp || e.canManage || e.myRsvp) ? eventsApi.attendees(e.id) : Promise.resolve(null)),
    [e.id, e.goingCount, e.waitlistCount, e.maybeCount, me?.id],
  );
  const rsvp = useAction(async (status: 'going' | 'maybe' | 'not_going') => {
    const r = await eventsApi.rsvp(e.id, status);
    onChange(r.event);
  });
  const cancel = useAction(async () => onChange(await eventsApi.update(e.id, { cancelled: !e.cancelled })));
  const pageUrl = `${window.location.origin}/c/${e.community.slug}/e/${e.id}`;
  const yours = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const mine = e.myRsvp;
  const full = e.capacity != null && e.goingCount >= e.capacity;
  return (
    <div className="stack event-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${slug}/events`}>{e.community.name} · Events</a>
      </nav>
      <article className="card stack" aria-labelledby="event-title">
        <h1 id="event-title">
          {e.title} {e.cancelled && <span className="badge">Cancelled</span>}
        </h1>
        <dl className="facts">
          <dt>When</dt>
          <dd>
            {formatLocal(e.startsAtLocal)} – {formatLocal(e.endsAtLocal)}{' '}
            <span className="muted">({e.timeZone})</span>
            {browserZone !== e.timeZone && (
              <div className="muted small">
                Your time: {yours.format(new Date(e.startsAt))} – {yours.format(new Date(e.endsAt))}
              </div>
            )}
          </dd>
          <dt>Where</dt>
          <dd>
            {e.mode === 'in_person' ? (
              e.location
            ) : e.onlineUrl ? (
              <a href={e.onlineUrl} rel="noopener noreferrer" target="_blank">
                {e.onlineUrl}
              </a>
            ) : (
              <span className="muted">Online: the link appears here once you are going.</span>
            )}
          </dd>
          <dt>Hosted by</dt>
          <dd>
            <a href={`/c/${e.community.slug}`}>{e.community.name}</a>
            {e.cohosts.map((c) => (
              <span key={c.id}>
                {' '}
                & <a href={`/c/${c.slug}`}>{c.name}</a>
              </span>
            ))}
            {e.createdBy && <span className="muted"> · organised by @{e.createdBy}</span>}
          </dd>
          <dt>Attendance</dt>
          <dd data-testid="event-counts">
            {plural(e.goingCount, 'going', 'going')}
            {e.capacity != null && ` of ${e.capacity} places`}
            {e.waitlistCount > 0 && ` · ${e.waitlistCount} on the waitlist`}
            {e.maybeCount > 0 && ` · ${e.maybeCount} maybe`}
          </dd>
        </dl>
        {e.description && <p className="pre-wrap">{e.description}</p>}
        {mine && (
          <p className="notice" data-testid="my-rsvp">
            {mine.status === 'waitlisted'
              ? `You are on the waitlist, number ${mine.waitlistPosition}. You will get a place if someone cancels.`
              : `Your answer: ${mine.status.replace('_', ' ')}${mine.checkedIn ? ' (checked in)' : ''}.`}
          </p>
        )}
        {e.canRsvp ? (
          <fieldset className="plain-fieldset">
            <legend className="visually-hidden">Your RSVP</legend>
            <div className="row">
              {(['going', 'maybe', 'not_going'] as const).map((s) => {
                const current = mine?.status === s || (s === 'going' && mine?.status === 'waitlisted');
                return (
                  <button
                    key={s}
                    type="button"
                    className={current ? 'button' : 'button button-secondary'}
                    aria-pressed={current}
                    disabled={rsvp.pending}
                    onClick={() => rsvp.run(s)}
                  >
                    {s !== 'going'
                      ? RSVP_LABEL[s]
                      : mine?.status === 'waitlisted'
                        ? 'On the waitlist'
                        : full && mine?.status !== 'going'
                          ? 'Join the waitlist'
                          : RSVP_LABEL[s]}
                  </button>
                );
              })}
            </div>
          </fieldset>
        ) : (
          !e.cancelled &&
          new Date(e.endsAt) > new Date() && (
            <p className="muted">
              {me ? 'Join the community to RSVP.' : 'Sign in and join the community to RSVP.'}
            </p>
          )
        )}
        <ErrorMessage error={rsvp.error} />
        <div className="row">
          <a className="button button-secondary" href={`/api/v1/events/${e.id}/event.ics`} download>
            Add to calendar (.ics)
          </a>
          <a
            className="button button-secondary"
            href={googleCalendarUrl(e, pageUrl)}
            target="_blank"
            rel="noopener noreferrer"
          >
            Google Calendar
          </a>
        </div>
        {e.canManage && (
          <div className="row host-tools">
            <a className="button button-secondary" href={`/c/${slug}/e/${e.id}/edit`}>
              Edit
            </a>
            <a className="button button-secondary" href={`/c/${slug}/e/${e.id}/checkin`}>
              Check-in screen
            </a>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => cancel.run()}
              disabled={cancel.pending}
            >
              {e.cancelled ? 'Restore event' : 'Cancel event'}
            </button>
            <ErrorMessage error={cancel.error} />
          </div>
        )}
      </article>
      {attendees.data && <AttendeeList items={attendees.data.items} />}
      <ErrorMessage error={attendees.error} />
      {e.canManage && <CohostPanel e={e} onChanged={reload} />}
    </div>
  );
}

function AttendeeList({ items }: { items: Attendee[] }) {
  const groups: [string, Attendee[]][] = [
    ['Going', items.filter((a) => a.status === 'going')],
    ['Waitlist', items.filter((a) => a.status === 'waitlisted')],
    ['Maybe', items.filter((a) => a.status === 'maybe')],
  ];
  return (
    <section className="card stack" aria-labelledby="attendees-h">
      <h2 id="attendees-h">Attendees</h2>
      {groups.map(([title, list]) =>
        list.length ? (
          <div key={title}>
            <h3>
              {title} <span className="muted">({list.length})</span>
            </h3>
            <ol className="list attendee-list" data-testid={`attendees-${title.toLowerCase()}`}>
              {list.map((a) => (
                <li key={a.user.id} className="list-row">
                  <Avatar user={a.user} size={28} />
                  <a href={`/u/${a.user.username}`}>{a.user.displayName}</a>
                  <span className="muted">@{a.user.username}</span>
                  {a.waitlistPosition != null && <span className="badge">#{a.waitlistPosition}</span>}
                  {a.checkedIn && <span className="badge badge-accent">Checked in</span>}
                </li>
              ))}
            </ol>
          </div>
        ) : null,
      )}
      {items.length === 0 && <p className="muted">Nobody yet.</p>}
    </section>
  );
}
