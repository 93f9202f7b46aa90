import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { notificationsApi } from './api.ts';

/** "Watch": a notification for each new thread in this community (readers who are signed in). */
export function WatchButton({ slug, canRead }: { slug: string; canRead: boolean }) {
  const { me } = useSession();
  const state = useAsync(
    () => (me && canRead ? notificationsApi.watching(slug) : Promise.resolve(null)),
    [slug, me?.id, canRead],
  );
  const toggle = useAction(async () =>
    state.setData(await notificationsApi.watch(slug, !state.data?.watching)),
  );
  if (!me || !canRead || !state.data) return null;
  return (
    <div className="watch">
      <button
        type="button"
        className="button button-secondary button-small"
        aria-pressed={state.data.watching}
        disabled={toggle.pending}
        onClick={() => toggle.run()}
      >
        {state.data.watching ? 'Watching new threads' : 'Watch new threads'}
      </button>
      <ErrorMessage error={toggle.error} />
    </div>
  );
}
