import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { api, type Community, type Page } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunitySuggestions, TrendingTags } from '../feed/Suggestions.tsx';
import { CommunityCard } from './CommunityCard.tsx';

/**
 * Community discovery: recommendations with their reason and trending tags (issue 4), yours
 * (signed in), then every community you can see, most members first.
 */
export function DiscoverPage() {
  useTitle('Discover');
  const { me, loading } = useSession();
  return (
    <div className="stack">
      <section className="hero">
        <h1>Find your people</h1>
        <p>Small communities around a shared interest, run by the people who care about them.</p>
        {me ? (
          <a className="button" href="/communities/new">
            Start a community
          </a>
        ) : (
          !loading && (
            <p>
              <a className="button" href="/signup">
                Join Hearth
              </a>{' '}
              or <a href="/login">log in</a>
            </p>
          )
        )}
      </section>
      <CommunitySuggestions />
      <TrendingTags />
      {me && <CommunityList title="Your communities" mine empty="You have not joined a community yet." />}
      <CommunityList title="All communities" empty="No communities yet. Start the first one!" />
    </div>
  );
}

function CommunityList({ title, mine, empty }: { title: string; mine?: boolean; empty: string }) {
  const first = useAsync(() => api.communities({ mine, limit: 24 }), [mine]);
  const [more, setMore] = useState<Page<Community>[]>([]);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await api.communities({ mine, limit: 24, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)];
  const id = mine ? 'mine-h' : 'all-h';
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading lines={3} height="9rem" />
      ) : (
        <>
          {items.length === 0 && !first.error && <p className="muted">{empty}</p>}
          <ul className="card-grid">
            {items.map((c) => (
              <CommunityCard key={c.id} c={c} />
            ))}
          </ul>
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
        </>
      )}
    </section>
  );
}
