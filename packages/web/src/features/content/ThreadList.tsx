import { useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { api, type Community, type Period, type ThreadPage, type ThreadSummary } from '../../lib/api.ts';
import { plural, timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { isActiveMember, useListParams } from '../communities/CommunityPage.tsx';
import { LevelChip } from '../gamification/LevelChip.tsx';

const SORTS = [
  ['hot', 'Hot'],
  ['new', 'New'],
  ['top', 'Top'],
] as const;
const PERIODS: [Period, string][] = [
  ['day', 'Today'],
  ['week', 'This week'],
  ['month', 'This month'],
  ['year', 'This year'],
  ['all', 'All time'],
];

/** A community's threads: sort hot / new / top (with a period), an optional #tag filter, pinned first. */
export function ThreadList({ community }: { community: Community }) {
  const { me } = useSession();
  const { sort, period, tag } = useListParams();
  const base = `/c/${community.slug}`;
  const query = { sort, period: sort === 'top' ? period : undefined, tag: tag || undefined, limit: 20 };
  const first = useAsync(() => api.threads(community.slug, query), [community.slug, sort, period, tag]);
  const [more, setMore] = useState<{ key: string; pages: ThreadPage[] }>({ key: '', pages: [] });
  const key = `${sort}|${period}|${tag}`;
  const pages = more.key === key ? more.pages : [];
  const nextCursor = pages.length ? pages[pages.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await api.threads(community.slug, { ...query, cursor: nextCursor });
    setMore({ key, pages: [...pages, page] });
  });
  const href = (p: { sort?: string; period?: string; tag?: string }) => {
    const q = new URLSearchParams();
    const s = p.sort ?? sort;
    if (s !== 'hot') q.set('sort', s);
    if (s === 'top') q.set('period', p.period ?? period);
    const t = p.tag ?? tag;
    if (t) q.set('tag', t);
    const qs = q.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const items = [...(first.data?.items ?? []), ...pages.flatMap((p) => p.items)];
  const pinned = first.data?.pinned ?? [];

  return (
    <section aria-labelledby="threads-h" className="thread-section">
      <div className="list-toolbar">
        <h2 id="threads-h" className="visually-hidden">
          Threads
        </h2>
        <nav aria-label="Sort threads" className="segmented">
          {SORTS.map(([s, label]) => (
            <a key={s} href={href({ sort: s })} aria-current={sort === s ? 'true' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        {sort === 'top' && (
          <label className="inline-label">
            <span className="visually-hidden">Period</span>
            <select
              value={period}
              onChange={(e) => navigate(href({ period: e.target.value }), { keepScroll: true })}
            >
              {PERIODS.map(([p, label]) => (
                <option key={p} value={p}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="grow" />
        {isActiveMember(community) ? (
          <a className="button" href={`${base}/submit`}>
            New thread
          </a>
        ) : (
          me === null && <span className="muted small">Log in and join to post.</span>
        )}
      </div>
      {tag && (
        <p className="filter">
          Tagged <span className="chip">#{tag}</span> <a href={href({ tag: '' })}>Show all threads</a>
        </p>
      )}
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading label="Loading threads…" lines={4} height="22rem" />
      ) : (
        <>
          <ol className="thread-list">
            {pinned.map((t) => (
              <ThreadItem key={`p${t.id}`} t={t} />
            ))}
            {items
              .filter((t) => !pinned.some((p) => p.id === t.id))
              .map((t) => (
                <ThreadItem key={t.id} t={t} />
              ))}
          </ol>
          {items.length === 0 && pinned.length === 0 && !first.error && (
            <p className="empty card muted">
              {tag ? `No threads tagged #${tag}.` : 'No threads yet.'}{' '}
              {isActiveMember(community) && <a href={`${base}/submit`}>Start the first one.</a>}
            </p>
          )}
          {nextCursor && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => loadMore.run()}
              disabled={loadMore.pending}
            >
              {loadMore.pending ? 'Loading…' : 'Show more threads'}
            </button>
          )}
          <ErrorMessage error={loadMore.error} />
        </>
      )}
    </section>
  );
}

function ThreadItem({ t }: { t: ThreadSummary }) {
  const url = `/c/${t.community.slug}/t/${t.id}`;
  return (
    <li className="thread-item card">
      <div className="thread-score" title="Score">
        <span className="visually-hidden">Score </span>
        {t.score}
      </div>
      <div className="grow min0">
        <h3>
          <a href={url}>{t.title}</a>
          {t.pinned && <span className="badge badge-accent">Pinned</span>}
          {t.locked && <span className="badge">Locked</span>}
        </h3>
        {t.excerpt && <p className="excerpt clamp-2">{t.excerpt}</p>}
        <p className="meta">
          <Avatar user={t.author} size={20} />
          <a href={`/u/${t.author.username}`}>{t.author.displayName}</a>
          <LevelChip slug={t.community.slug} username={t.author.username} />
          <span>{timeAgo(t.createdAt)}</span>
          <a href={`${url}#comments`}>{plural(t.commentCount, 'comment')}</a>
          {t.tags.map((tag) => (
            <a key={tag} className="tag" href={`/c/${t.community.slug}?tag=${encodeURIComponent(tag)}`}>
              #{tag}
            </a>
          ))}
        </p>
      </div>
    </li>
  );
}
