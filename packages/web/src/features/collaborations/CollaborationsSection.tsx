import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { Community } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { collabApi, eventsApi } from '../events/api.ts';

/**
 * Community settings, for moderators: collaborations (owners propose, accept and end them;
 * moderators see them) and who may create events.
 */
export function CollaborationsSection({ c, isOwner }: { c: Community; isOwner: boolean }) {
  const list = useAsync(() => collabApi.collaborations(c.slug), [c.slug]);
  const [partner, setPartner] = useState('');
  const propose = useAction(async () => {
    await collabApi.propose(c.slug, partner.trim());
    setPartner('');
    list.reload();
  });
  const decide = useAction(async (id: number, accept: boolean) => {
    if (accept) await collabApi.accept(id);
    else await collabApi.end(id);
    list.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    propose.run();
  };
  return (
    <section className="card stack" aria-labelledby="partners-h">
      <h2 id="partners-h">Partner communities</h2>
      <p className="muted">
        Partners can co-host events and cross-post threads into each other's lists (one comment thread). Both
        owners must agree; either can end it, which removes everything shared.
      </p>
      {list.loading && !list.data ? (
        <Loading lines={2} />
      ) : (
        <ul className="list">
          {(list.data?.items ?? []).map((p) => (
            <li key={p.id} className="list-row">
              <span className="grow">
                <a href={`/c/${p.partner.slug}`}>{p.partner.name}</a>{' '}
                <span className="badge">
                  {p.status === 'active'
                    ? 'Partner'
                    : p.direction === 'incoming'
                      ? 'Wants to partner'
                      : 'Waiting for their owner'}
                </span>
                <span className="muted small"> since {formatDate(p.acceptedAt ?? p.createdAt)}</span>
              </span>
              {isOwner && p.status === 'proposed' && p.direction === 'incoming' && (
                <button
                  type="button"
                  className="button"
                  onClick={() => decide.run(p.id, true)}
                  disabled={decide.pending}
                >
                  Accept
                </button>
              )}
              {isOwner && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => decide.run(p.id, false)}
                  disabled={decide.pending}
                >
                  {p.status === 'active' ? 'End' : p.direction === 'incoming' ? 'Decline' : 'Withdraw'}
                </button>
              )}
            </li>
          ))}
          {list.data?.items.length === 0 && <li className="muted">No partners yet.</li>}
        </ul>
      )}
      <ErrorMessage error={list.error ?? decide.error} />
      {isOwner && (
        <form className="row" onSubmit={submit}>
          <label className="grow">
            Propose a collaboration to (community address)
            <input
              value={partner}
              onChange={(e) => setPartner(e.target.value)}
              placeholder="e.g. trail-runners"
            />
          </label>
          <button type="submit" className="button" disabled={!partner.trim() || propose.pending}>
            Propose
          </button>
        </form>
      )}
      <ErrorMessage error={propose.error} />
    </section>
  );
}

export function EventSettingsSection({ c }: { c: Community }) {
  const settings = useAsync(() => eventsApi.settings(c.slug), [c.slug]);
  const save = useAction(async (policy: 'moderators' | 'members') => {
    settings.setData(await eventsApi.updateSettings(c.slug, policy));
  });
  return (
    <section className="card stack" aria-labelledby="event-settings-h">
      <h2 id="event-settings-h">Events</h2>
      <fieldset disabled={!settings.data || save.pending}>
        <legend>Who can create events</legend>
        {(
          [
            ['moderators', 'Moderators and owners'],
            ['members', 'Every member'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="event-policy"
              checked={settings.data?.createPolicy === value}
              onChange={() => save.run(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={settings.error ?? save.error} />
    </section>
  );
}
