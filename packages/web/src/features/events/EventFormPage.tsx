import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { type EventMode, eventsApi, type HearthEvent, timeZones, zonedToUtc } from './api.ts';

/** Create an event in a community, or edit one (`id`): times are typed in the event's own time zone. */
export function EventFormPage({ slug, id }: { slug: string; id?: number }) {
  const { me, loading } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const existing = useAsync(() => (id ? eventsApi.get(id) : Promise.resolve(null)), [id, me?.id]);
  useTitle(id ? 'Edit event' : 'New event');
  if (loading) return <Loading lines={6} height="30rem" />;
  if (!me) return <SignInPrompt what={id ? 'edit this event' : 'create an event'} />;
  const err = community.error ?? existing.error;
  if (err instanceof ApiError && err.status === 404) return <NotFound what={id ? 'event' : 'community'} />;
  if (err) return <ErrorMessage error={err} />;
  if (!community.data || existing.data === undefined) return <Loading lines={6} height="30rem" />;
  return <EventForm slug={slug} name={community.data.name} existing={existing.data} />;
}

function EventForm({ slug, name, existing }: { slug: string; name: string; existing: HearthEvent | null }) {
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const [title, setTitle] = useState(existing?.title ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [mode, setMode] = useState<EventMode>(existing?.mode ?? 'in_person');
  const [location, setLocation] = useState(existing?.location ?? '');
  const [onlineUrl, setOnlineUrl] = useState(existing?.onlineUrl ?? '');
  const [start, setStart] = useState(existing?.startsAtLocal ?? '');
  const [end, setEnd] = useState(existing?.endsAtLocal ?? '');
  const [zone, setZone] = useState(existing?.timeZone ?? browserZone);
  const [capacity, setCapacity] = useState(existing?.capacity != null ? String(existing.capacity) : '');
  const zones = timeZones();
  const save = useAction(async () => {
    const body = {
      title: title.trim(),
      description,
      mode,
      ...(mode === 'in_person' ? { location } : { onlineUrl: onlineUrl.trim() || undefined }),
      startsAt: zonedToUtc(start, zone),
      endsAt: zonedToUtc(end, zone),
      timeZone: zone,
      capacity: capacity.trim() ? Number(capacity) : null,
    };
    if (!body.startsAt)
      throw new ApiError(400, 'VALIDATION_FAILED', 'Choose when the event starts', 'startsAt');
    if (!body.endsAt) throw new ApiError(400, 'VALIDATION_FAILED', 'Choose when the event ends', 'endsAt');
    const saved = existing ? await eventsApi.update(existing.id, body) : await eventsApi.create(slug, body);
    navigate(`/c/${saved.community.slug}/e/${saved.id}`, { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.run();
  };
  return (
    <section className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${slug}/events`}>{name} · Events</a>
      </nav>
      <h1>{existing ? 'Edit event' : 'New event'}</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
        </label>
        <label>
          Description <span className="muted">(optional)</span>
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={4}
            maxLength={20000}
          />
        </label>
        <fieldset>
          <legend>Where</legend>
          <label className="radio">
            <input
              type="radio"
              name="mode"
              checked={mode === 'in_person'}
              onChange={() => setMode('in_person')}
            />{' '}
            In person
          </label>
          <label className="radio">
            <input type="radio" name="mode" checked={mode === 'online'} onChange={() => setMode('online')} />{' '}
            Online
          </label>
        </fieldset>
        {mode === 'in_person' ? (
          <label>
            Place
            <input value={location} onChange={(e) => setLocation(e.target.value)} maxLength={300} />
          </label>
        ) : (
          <label>
            Link <span className="muted">(shown only to people going)</span>
            <input
              type="url"
              value={onlineUrl}
              onChange={(e) => setOnlineUrl(e.target.value)}
              placeholder="https://"
            />
          </label>
        )}
        <div className="grid-2">
          <label>
            Starts
            <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
          </label>
          <label>
            Ends
            <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
          </label>
        </div>
        <label>
          Time zone
          <select value={zone} onChange={(e) => setZone(e.target.value)}>
            {(zones.includes(zone) ? zones : [zone, ...zones]).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <label>
          Capacity <span className="muted">(optional: beyond it, people join a waitlist)</span>
          <input
            type="number"
            min={1}
            inputMode="numeric"
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
          />
        </label>
        <ErrorMessage error={save.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.pending}>
            {save.pending ? 'Saving…' : existing ? 'Save changes' : 'Create event'}
          </button>
          <a
            className="button button-secondary"
            href={existing ? `/c/${slug}/e/${existing.id}` : `/c/${slug}/events`}
          >
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
