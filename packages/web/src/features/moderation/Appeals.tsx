import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate, timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { type Appeal, actionLabel, modApi } from './api.ts';

/**
 * Appeals waiting in a community (slug) or against site-wide actions (null): the action, the
 * member's words, and uphold / overturn. The moderator who took the action cannot decide
 * its appeal (the server says so; the buttons are not offered).
 */
export function AppealsList({ slug }: { slug: string | null }) {
  const [status, setStatus] = useState<'open' | 'decided'>('open');
  const list = useAsync(() => modApi.appeals(slug, { status, limit: 50 }), [slug, status]);
  return (
    <section aria-labelledby="appeals-h" className="stack">
      <div className="row">
        <h2 id="appeals-h" className="grow">
          Appeals
        </h2>
        <label className="inline-label">
          <span className="visually-hidden">Show</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'decided')}>
            <option value="open">Waiting</option>
            <option value="decided">Decided</option>
          </select>
        </label>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading lines={3} height="10rem" />
      ) : list.data?.items.length === 0 ? (
        <p className="empty card muted">
          {status === 'open' ? 'No appeals waiting.' : 'No decided appeals yet.'}
        </p>
      ) : (
        <ul className="list appeals">
          {list.data?.items.map((a) => (
            <AppealRow
              key={a.id}
              a={a}
              slug={slug}
              onDecided={(next) =>
                list.setData((p) => ({
                  items: (p?.items ?? []).map((x) => (x.id === a.id ? next : x)),
                  nextCursor: p?.nextCursor ?? null,
                }))
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function AppealRow({
  a,
  slug,
  onDecided,
}: {
  a: Appeal;
  slug: string | null;
  onDecided: (a: Appeal) => void;
}) {
  const [note, setNote] = useState('');
  const decide = useAction(async (decision: 'uphold' | 'overturn') => {
    const r = await modApi.decide(a.id, decision, note);
    onDecided({ ...a, status: r.status, canDecide: false, decisionNote: note.trim() });
  });
  const target =
    slug && a.action.targetType === 'thread' && a.action.targetId
      ? `/c/${slug}/t/${a.action.targetId}`
      : null;
  return (
    <li className="card appeal">
      <p className="meta">
        <span className="badge">{a.status}</span>
        <span>
          <strong>{actionLabel(a.action.kind)}</strong> @{a.member ?? 'someone'}
          {a.action.moderator && ` · by @${a.action.moderator}`} · {formatDate(a.action.createdAt)}
        </span>
        {target && <a href={target}>the thread</a>}
      </p>
      <p className="small">
        <span className="muted">Reason given:</span> {a.action.reason || <em>none</em>}
      </p>
      <blockquote className="queue-body">{a.body}</blockquote>
      <p className="muted small">Appealed {timeAgo(a.createdAt)}</p>
      {a.decidedBy && (
        <p className="small">
          Decided by @{a.decidedBy}
          {a.decisionNote && `: “${a.decisionNote}”`}
        </p>
      )}
      {a.canDecide ? (
        <div className="stack-tight">
          <label className="block">
            <span className="small">Note to the member (optional)</span>
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          </label>
          <div className="actions">
            <button
              type="button"
              className="button button-small"
              disabled={decide.pending}
              onClick={() => decide.run('overturn')}
            >
              Overturn (undo the action)
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={decide.pending}
              onClick={() => decide.run('uphold')}
            >
              Uphold
            </button>
          </div>
          <ErrorMessage error={decide.error} />
        </div>
      ) : (
        a.status === 'open' && (
          <p className="muted small">Another moderator decides: you took this action, or it is about you.</p>
        )
      )}
    </li>
  );
}
