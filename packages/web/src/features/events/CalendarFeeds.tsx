import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import type { Community } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { eventsApi } from './api.ts';

/**
 * Calendar subscriptions. A public community has a plain feed URL; a private one (and your
 * own RSVPs) needs your secret feed token, which calendar apps carry in the URL instead of
 * a cookie. The token is shown once when created; making a new one revokes the old URL.
 */
export function CalendarFeeds({ c }: { c: Community }) {
  const { me } = useSession();
  const status = useAsync(() => (me ? eventsApi.calendarStatus() : Promise.resolve(null)), [me?.id]);
  const [token, setToken] = useState<string | null>(null);
  const origin = window.location.origin;
  const rotate = useAction(async () => {
    const r = await eventsApi.rotateCalendar();
    setToken(r.token);
    status.reload();
  });
  const revoke = useAction(async () => {
    await eventsApi.revokeCalendar();
    setToken(null);
    status.reload();
  });
  const communityFeed = `${origin}/api/v1/communities/${c.slug}/events.ics`;
  return (
    <section className="card stack" aria-labelledby="feeds-h">
      <h2 id="feeds-h">Calendar feeds</h2>
      {c.visibility === 'public' ? (
        <p>
          Subscribe to this community's events: <code className="break">{communityFeed}</code>
        </p>
      ) : (
        <p className="muted">
          This community is private: its feed needs your secret token (below), so only you can read it.
        </p>
      )}
      {me && (
        <>
          {token ? (
            <div className="stack">
              <p>Copy these now; they are shown only once.</p>
              <p>
                Your events: <code className="break">{`${origin}/api/v1/calendar/${token}.ics`}</code>
              </p>
              <p>
                {c.name}: <code className="break">{`${communityFeed}?token=${token}`}</code>
              </p>
            </div>
          ) : (
            <p className="muted">
              {status.data?.active
                ? 'You have a secret feed URL. Make a new one if you lost it (the old one stops working).'
                : 'Get a secret feed URL for the events you RSVP to (and private communities you belong to).'}
            </p>
          )}
          <div className="row">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => rotate.run()}
              disabled={rotate.pending}
            >
              {status.data?.active ? 'New secret feed URL' : 'Get my feed URL'}
            </button>
            {status.data?.active && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => revoke.run()}
                disabled={revoke.pending}
              >
                Revoke
              </button>
            )}
          </div>
          <ErrorMessage error={rotate.error ?? revoke.error ?? status.error} />
        </>
      )}
    </section>
  );
}
