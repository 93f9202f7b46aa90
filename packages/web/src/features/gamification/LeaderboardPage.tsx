import { navigate, useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunityHeader, isActiveMember } from '../communities/CommunityPage.tsx';
import { type BoardPeriod, gamification } from './api.ts';

const PERIODS: [BoardPeriod, string][] = [
  ['week', 'Week'],
  ['month', 'Month'],
  ['year', 'Year'],
  ['all', 'All time'],
];

/** A community's leaderboard: period and tag selectors; members can hide themselves from it. */
export function LeaderboardPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const { search } = useLocation();
  const period = PERIODS.find(([p]) => p === search.get('period'))?.[0] ?? 'month';
  const tag = search.get('tag') ?? '';
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const board = useAsync(
    () => gamification.board(slug, { period, tag: tag || undefined }),
    [slug, period, tag, me?.id],
  );
  const c = community.data;
  useTitle(c ? `Leaderboard · ${c.name}` : 'Leaderboard');
  const href = (p: { period?: string; tag?: string }) => {
    const q = new URLSearchParams();
    q.set('period', p.period ?? period);
    const t = p.tag ?? tag;
    if (t) q.set('tag', t);
    return `/c/${slug}/leaderboard?${q}`;
  };
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  const tags = board.data?.tags ?? [];
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="leaderboard" onChanged={community.reload} />
      <section className="card" aria-labelledby="board-h">
        <h2 id="board-h">Leaderboard{tag && <span className="chip">#{tag}</span>}</h2>
        <div className="list-toolbar">
          <nav aria-label="Period" className="segmented">
            {PERIODS.map(([p, label]) => (
              <a key={p} href={href({ period: p })} aria-current={period === p ? 'true' : undefined}>
                {label}
              </a>
            ))}
          </nav>
          <label className="inline-label">
            Tag
            <select
              value={tag}
              onChange={(e) => navigate(href({ tag: e.target.value }), { keepScroll: true })}
            >
              <option value="">All tags</option>
              {tag && !tags.some((t) => t.name === tag) && <option value={tag}>#{tag}</option>}
              {tags.map((t) => (
                <option key={t.name} value={t.name}>
                  #{t.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorMessage error={board.error} />
        {board.loading && !board.data ? (
          <Loading label="Loading leaderboard…" lines={6} height="18rem" />
        ) : board.data?.items.length ? (
          <ol className="leaderboard">
            {board.data.items.map((r) => (
              <li key={r.username} className={r.username === me?.username ? 'board-row me' : 'board-row'}>
                <span className="rank">
                  <span className="visually-hidden">Rank </span>
                  {r.rank}
                </span>
                <span className="grow who">
                  <a href={`/u/${r.username}`}>@{r.username}</a>{' '}
                  <span className="level-chip" title={`Level ${r.level}`}>
                    {r.flair ?? r.levelName}
                  </span>
                </span>
                <span className="points">
                  {r.points} <span className="muted small">pts</span>
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">No points {tag ? `under #${tag} ` : ''}in this period yet.</p>
        )}
      </section>
      {me && isActiveMember(c) && <HideMe slug={slug} onChanged={board.reload} />}
    </div>
  );
}

function HideMe({ slug, onChanged }: { slug: string; onChanged: () => void }) {
  const { me } = useSession();
  const summary = useAsync(() => gamification.summary(slug, me!.username), [slug, me?.username]);
  // Optimistic: the box follows the click at once, and goes back if the server refuses.
  const toggle = useAction(async (hide: boolean) => {
    summary.setData((s) => ({ ...s!, hideFromLeaderboards: hide }));
    try {
      await gamification.setHidden(slug, hide);
    } catch (err) {
      summary.setData((s) => ({ ...s!, hideFromLeaderboards: !hide }));
      throw err;
    }
    onChanged();
  });
  const s = summary.data;
  return (
    <section className="card" aria-labelledby="you-h">
      <h2 id="you-h">You here</h2>
      {s ? (
        <>
          <p>
            {s.points} points · level {s.level.level} ({s.level.name})
            {s.level.nextAt !== null && ` · ${s.level.nextAt - s.points} to the next level`} · streak{' '}
            {s.streak.current} {s.streak.current === 1 ? 'day' : 'days'}
          </p>
          <label className="checkbox-row">
            <input
              type="checkbox"
              checked={!!s.hideFromLeaderboards}
              onChange={(e) => toggle.run(e.target.checked)}
            />
            Hide me from this community's leaderboards
          </label>
        </>
      ) : (
        <Loading lines={2} />
      )}
      <ErrorMessage error={toggle.error ?? summary.error} />
    </section>
  );
}
