import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { notificationsApi } from './api.ts';

/** The page an email's unsubscribe link opens: says what stops, and stops it in one click. */
export function UnsubscribePage({ token }: { token: string }) {
  useTitle('Unsubscribe');
  const info = useAsync(() => notificationsApi.unsubscribeInfo(token), [token]);
  const stop = useAction(() => notificationsApi.unsubscribe(token));
  if (info.error) return <ErrorMessage error={info.error} />;
  if (!info.data) return <Loading lines={2} height="8rem" />;
  return (
    <section className="card narrow stack" aria-labelledby="unsub-h">
      <h1 id="unsub-h">Unsubscribe</h1>
      <p>
        Stop emails for: <strong>{info.data.label}</strong>
      </p>
      <UnsubscribeButton
        onClick={() => stop.run().then((r) => r && info.setData(r))}
        pending={stop.pending}
        done={info.data.done}
      />
      <ErrorMessage error={stop.error} />
    </section>
  );
}

function UnsubscribeButton({
  onClick,
  pending,
  done,
}: {
  onClick: () => void;
  pending: boolean;
  done: boolean;
}) {
  if (done)
    return (
      <output>
        Done: no more of these emails. You can change this any time in{' '}
        <a href="/settings/notifications">settings</a>.
      </output>
    );
  return (
    <button type="button" className="button" disabled={pending} onClick={onClick}>
      {pending ? 'Unsubscribing…' : 'Unsubscribe'}
    </button>
  );
}
