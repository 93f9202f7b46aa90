import { type ReactNode, useId, useState } from 'react';
import { useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Markdown } from '../../components/Prose.tsx';
import { api, type Community } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';

/**
 * Join, ask to join, accept an invitation, withdraw or leave. When the community has
 * guidelines they are shown first and must be accepted (a checkbox) before joining;
 * the server records when.
 */
export function JoinPanel({ c, onChanged }: { c: Community; onChanged: () => void }) {
  const { me } = useSession();
  const { href } = useLocation();
  const [reading, setReading] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const checkboxId = useId();
  const join = useAction(async () => {
    await api.join(c.slug, accepted);
    setReading(false);
    onChanged();
  });
  const leave = useAction(async () => {
    await api.leave(c.slug);
    onChanged();
  });
  const m = c.membership;
  const hasGuidelines = c.guidelines.trim().length > 0;

  if (!me) {
    return (
      <div className="join-panel">
        <a className="button" href={`/login?next=${encodeURIComponent(href)}`}>
          Log in to join
        </a>
      </div>
    );
  }

  const start = () => {
    if (hasGuidelines) {
      setReading(true);
      setAccepted(false);
    } else join.run();
  };
  const joinLabel =
    m?.status === 'invited' ? 'Accept invitation' : c.joinPolicy === 'request' ? 'Ask to join' : 'Join';

  let control: ReactNode;
  if (m?.status === 'active') {
    control = (
      <button
        type="button"
        className="button button-secondary"
        disabled={leave.pending}
        onClick={() => {
          if (window.confirm(`Leave ${c.name}?`)) leave.run();
        }}
      >
        Leave
      </button>
    );
  } else if (m?.status === 'pending') {
    control = (
      <>
        <p className="muted small">Your request is waiting for a moderator.</p>
        <button
          type="button"
          className="button button-secondary"
          disabled={leave.pending}
          onClick={() => leave.run()}
        >
          Withdraw request
        </button>
      </>
    );
  } else if (!m && c.joinPolicy === 'invite') {
    control = <p className="muted small">Joining is by invitation only.</p>;
  } else {
    control = (
      <>
        {m?.status === 'invited' && <p className="small">You are invited to join.</p>}
        <div className="row">
          <button type="button" className="button" disabled={join.pending || reading} onClick={start}>
            {joinLabel}
          </button>
          {m?.status === 'invited' && (
            <button
              type="button"
              className="button button-secondary"
              disabled={leave.pending}
              onClick={() => leave.run()}
            >
              Decline
            </button>
          )}
        </div>
      </>
    );
  }

  return (
    <div className="join-panel">
      {control}
      <ErrorMessage error={join.error ?? leave.error} />
      {reading && (
        <section className="guidelines-accept" aria-labelledby={`${checkboxId}-h`}>
          <h2 id={`${checkboxId}-h`}>Community guidelines</h2>
          <p className="muted small">Read and accept the guidelines of {c.name} to join.</p>
          <div className="guidelines-text">
            <Markdown source={c.guidelines} />
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              id={checkboxId}
              checked={accepted}
              onChange={(e) => setAccepted(e.target.checked)}
            />
            I have read and accept these guidelines
          </label>
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={!accepted || join.pending}
              onClick={() => join.run()}
            >
              {join.pending ? 'Joining…' : joinLabel}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setReading(false)}>
              Cancel
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
