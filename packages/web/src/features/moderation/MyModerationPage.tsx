import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { Page } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { actionLabel, type MyAction, modApi, ruleText } from './api.ts';
import { targetText } from './ModlogPage.tsx';

const APPEALABLE = new Set(['remove', 'lock', 'warn', 'mute', 'ban', 'suspend']);
export const canAppeal = (a: MyAction) => APPEALABLE.has(a.action) && !a.revoked && !a.appeal;

/**
 * What moderators did about you or your posts, with the reason they gave and the rule they
 * cited; each can be appealed once, and a moderator other than the one who acted decides.
 */
export function MyModerationPage() {
  useTitle('Moderation notices');
  const { me, loading } = useSession();
  const first = useAsync(() => (me ? modApi.myModeration({ limit: 50 }) : Promise.resolve(null)), [me?.id]);
  const [more, setMore] = useState<Page<MyAction>[]>([]);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await modApi.myModeration({ limit: 50, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  if (loading) return <Loading lines={4} height="16rem" />;
  if (!me) return <SignInPrompt what="see moderation notices" />;
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)];
  return (
    <div className="stack">
      <h1>Moderation notices</h1>
      <p className="muted">What moderators did about you or your posts, and why. You can appeal each once.</p>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading lines={3} height="10rem" />
      ) : items.length === 0 ? (
        <p className="empty card muted">Nothing here: no moderator has acted on your posts.</p>
      ) : (
        <ul className="list notices">
          {items.map((a) => (
            <li key={a.id} className="card notice-item">
              <ActionNotice a={a} />
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <button type="button" className="button button-secondary" onClick={() => loadMore.run()}>
          Show older
        </button>
      )}
      <ErrorMessage error={loadMore.error} />
    </div>
  );
}

/** One action against the member: what, where, why (the reason they were told), and its appeal. */
export function ActionNotice({ a }: { a: MyAction }) {
  const [appeal, setAppeal] = useState(a.appeal);
  const what = targetText(a.target, a.community);
  return (
    <article aria-label={`${actionLabel(a.action)} ${formatDate(a.createdAt)}`}>
      <p className="meta">
        <strong>{actionLabel(a.action)}</strong>
        {a.community ? <a href={`/c/${a.community}`}>{a.community}</a> : <span>site-wide</span>}
        {what && <span>{what}</span>}
        <time dateTime={a.createdAt}>{formatDate(a.createdAt)}</time>
        {a.active && (
          <span className="badge badge-warn">
            in force{a.expiresAt ? ` until ${formatDate(a.expiresAt)}` : ''}
          </span>
        )}
        {a.revoked && <span className="badge">lifted</span>}
      </p>
      <p className="removal-reason">
        <span className="muted">Reason: </span>
        {a.reason || <em>none given</em>}
      </p>
      {a.rule && <p className="small">{ruleText(a.rule)}</p>}
      {appeal ? (
        <p className="small">
          Appeal: <strong>{appeal.status === 'open' ? 'waiting for a moderator' : appeal.status}</strong>
        </p>
      ) : (
        canAppeal(a) && <AppealForm actionId={a.id} onSent={(id) => setAppeal({ id, status: 'open' })} />
      )}
    </article>
  );
}

function AppealForm({ actionId, onSent }: { actionId: number; onSent: (id: number) => void }) {
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const send = useAction(async () => onSent((await modApi.appeal(actionId, body.trim())).id));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.run();
  };
  if (!open) {
    return (
      <button type="button" className="button button-secondary button-small" onClick={() => setOpen(true)}>
        Appeal
      </button>
    );
  }
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Appeal">
      <label>
        Why should moderators look again?
        <textarea rows={3} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <ErrorMessage error={send.error} />
      <div className="row">
        <button type="submit" className="button button-small" disabled={send.pending || !body.trim()}>
          Send appeal
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The moderation notice about one thread or comment of the viewer, if a moderator removed it. */
export function useRemovalOf(type: 'thread' | 'comment', id: number, enabled: boolean) {
  return useAsync(async () => {
    if (!enabled) return null;
    const page = await modApi.myModeration({ limit: 100 });
    return (
      page.items.find((a) => a.action === 'remove' && a.target?.type === type && a.target.id === id) ?? null
    );
  }, [type, id, enabled]);
}
