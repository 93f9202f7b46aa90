import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { plural } from '../../lib/format.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { feedApi } from './api.ts';
import { RelationButton } from './RelationButton.tsx';

/** Recommended communities, each with the short reason the server gives ("3 members you follow are here"). */
export function CommunitySuggestions({ title = 'Recommended for you' }: { title?: string }) {
  const { me } = useSession();
  const list = useAsync(() => feedApi.suggestCommunities(8), [me?.id]);
  if (list.data && list.data.items.length === 0) return null;
  return (
    <section aria-labelledby="suggest-h">
      <h2 id="suggest-h">{title}</h2>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading lines={2} height="8rem" />
      ) : (
        <ul className="card-grid">
          {list.data?.items.map((s) => (
            <li key={s.community.id} className="community-card card suggestion">
              <h3>
                <a href={`/c/${s.community.slug}`}>{s.community.name}</a>
              </h3>
              <p className="reason">{s.reason}</p>
              {s.community.description && <p className="clamp-2 muted small">{s.community.description}</p>}
              {/* With no signal the reason is the member count itself: not twice. */}
              {!/^\d+ members?$/.test(s.reason) && (
                <p className="meta">{plural(s.community.memberCount, 'member')}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Tags with the most activity this week in public communities; members can follow them here. */
export function TrendingTags() {
  const { me } = useSession();
  const list = useAsync(() => feedApi.trendingTags(12), [me?.id]);
  if (list.data && list.data.items.length === 0) return null;
  return (
    <section aria-labelledby="trending-h">
      <h2 id="trending-h">Trending tags</h2>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading lines={1} height="3rem" />
      ) : (
        <ul className="trending">
          {list.data?.items.map((t) => (
            <li key={t.name} className="trending-tag">
              <a className="chip" href={`/t/${encodeURIComponent(t.name)}`}>
                #{t.name}
              </a>
              <span className="muted small">{plural(t.threads, 'thread')}</span>
              <RelationButton rel="follows" kind="tags" name={t.name} label={`#${t.name}`} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
