import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { ThreadItem } from '../content/ThreadList.tsx';
import { type Feed, feedApi } from './api.ts';
import { CommunitySuggestions } from './Suggestions.tsx';

/**
 * The signed-in landing page: the personalized home feed (threads from your communities,
 * the tags and members you follow; muted ones left out), ranked on the server. "Show more"
 * pages with the feed's cursor, which ranks every page at the first page's snapshot, so
 * threads posted meanwhile never shift or repeat what is already on screen; "Refresh"
 * starts a new snapshot.
 */
export function HomePage() {
  useTitle('Home');
  const { me } = useSession();
  const first = useAsync(() => feedApi.feed({ limit: 20 }), [me?.id]);
  const [more, setMore] = useState<Feed[]>([]);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await feedApi.feed({ limit: 20, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  // The same thread never shows twice, even if its rank moved between two pages (votes).
  const seen = new Set<number>();
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)].filter(
    (t) => !seen.has(t.id) && seen.add(t.id),
  );
  const refresh = () => {
    setMore([]);
    first.reload();
  };
  return (
    <div className="stack home">
      <header className="home-head">
        <div className="grow">
          <h1>Home</h1>
          <p className="muted">
            From your communities and the tags and members you follow.{' '}
            <a href="/follows">Manage follows and mutes</a>
          </p>
        </div>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={refresh}
          disabled={first.loading}
        >
          Refresh
        </button>
      </header>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading label="Loading your feed…" lines={5} height="24rem" />
      ) : (
        <section aria-labelledby="feed-h">
          <h2 id="feed-h" className="visually-hidden">
            Your feed
          </h2>
          {items.length === 0 && !first.error && (
            <div className="empty card">
              <p>Your feed is empty for now.</p>
              <p className="muted">
                Join a few communities, or follow tags and members, and their threads will show up here.{' '}
                <a href="/discover">Discover communities</a>
              </p>
            </div>
          )}
          <ol className="thread-list">
            {items.map((t) => (
              <ThreadItem key={t.id} t={t} showCommunity reasons={t.reasons} />
            ))}
          </ol>
          {nextCursor && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => loadMore.run()}
              disabled={loadMore.pending}
            >
              {loadMore.pending ? 'Loading…' : 'Show more'}
            </button>
          )}
          <ErrorMessage error={loadMore.error} />
          {first.data && !nextCursor && items.length > 0 && (
            <p className="muted small end-of-feed">You are all caught up.</p>
          )}
        </section>
      )}
      {first.data && items.length < 5 && <CommunitySuggestions title="Communities you may like" />}
    </div>
  );
}
