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
import { SponsoredLabel } from '../partnerships/SponsoredLabel.tsx';

/** Lemmy's sorts (content.ranking.ts): active ranks by the latest comment, scaled favours small communities. */
export const SORTS = [
  ['hot', 'Hot'],
  ['active', 'Active'],
  ['scaled', 'Scaled'],
  ['controversial', 'Controversial'],
  ['top', 'Top'],
  ['new', 'New'],
  ['most_comments', 'Most comments'],
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
  const periodic = sort === 'top' || sort === 'controversial' || sort === 'most_comments';
  const query = { sort, period: periodic ? period : undefined, tag: tag || undefined, limit: 20 };
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
    if (s === 'top' || s === 'controversial' || s === 'most_comments') q.set('period', p.period ?? period);
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
        {periodic && (
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

/** A thread in a list: score, title, badges, excerpt, author, tags; in the home feed also its community and why it is there. */
export function ThreadItem({
  t,
  showCommunity = false,
  reasons = [],
}: {
  t: ThreadSummary;
  showCommunity?: boolean;
  reasons?: string[];
}) {
  const url = `/c/${t.community.slug}/t/${t.id}`;
  return (
    <li className="thread-item card">
      <div className="thread-score" title="Score">
        <span className="visually-hidden">Score </span>
        {t.score}
      </div>
      <div className="grow min0">
        <SponsoredLabel sponsored={t.sponsored} />
        <h3>
          <a href={url}>{t.title}</a>
          {t.pinned && <span className="badge badge-accent">Pinned</span>}
          {t.locked && <span className="badge">Locked</span>}
          {t.pending && <span className="badge badge-warn">Waiting for approval</span>}
        </h3>
        {t.excerpt && <p className="excerpt clamp-2">{t.excerpt}</p>}
        <p className="meta">
          {showCommunity && (
            <a className="community-link" href={`/c/${t.community.slug}`}>
              {t.community.name}
            </a>
          )}
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
        {reasons.length > 0 && (
          <p className="reasons small">
            <span className="visually-hidden">Why you see this: </span>
            {reasons.join(' · ')}
          </p>
        )}
      </div>
    </li>
  );
}
