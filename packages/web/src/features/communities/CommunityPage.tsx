import { useEffect, useState } from 'react';
import { useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { Markdown } from '../../components/Prose.tsx';
import { ApiError, api, type Community, type Member, type Page } from '../../lib/api.ts';
import { formatDate, plural } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { ThreadList } from '../content/ThreadList.tsx';
import { RelationButton } from '../feed/RelationButton.tsx';
import { GuidelinesBanner } from '../moderation/GuidelinesPrompt.tsx';
import { WatchButton } from '../notifications/WatchButton.tsx';
import { MembershipBadge } from './CommunityCard.tsx';
import { JoinPanel } from './JoinPanel.tsx';

export type CommunityTab = 'threads' | 'about' | 'members' | 'events' | 'leaderboard' | 'rewards';
/** Tabs of other features' pages under /c/{slug}: moderation (issue 6), analytics (issue 8). */
export type HeaderTab = CommunityTab | 'settings' | 'modlog' | 'notes' | 'moderation' | 'analytics';

export const canModerate = (c: Community, isAdmin = false) =>
  isAdmin ||
  (c.membership?.status === 'active' && (c.membership.role === 'owner' || c.membership.role === 'moderator'));
export const isActiveMember = (c: Community) => c.membership?.status === 'active';

const visited = new Set<string>();

/** A community: header with join/leave, and its threads, about page (guidelines) or members. */
export function CommunityPage({ slug, tab }: { slug: string; tab: CommunityTab }) {
  const { me } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const c = community.data;
  useTitle(c ? c.name : null);

  // Gamification counts one visit a day for active members (POST /visit); a failure only costs a point.
  useEffect(() => {
    if (c && isActiveMember(c) && !visited.has(c.slug)) {
      visited.add(c.slug);
      api.visit(c.slug).catch(() => visited.delete(c.slug));
    }
  }, [c]);

  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading label="Loading community…" lines={5} height="20rem" />;
  return (
    <div className="community">
      <CommunityHeader c={c} tab={tab} onChanged={community.reload} />
      {tab === 'threads' && <ThreadList community={c} />}
      {tab === 'about' && <About c={c} />}
      {tab === 'members' && <Members c={c} />}
    </div>
  );
}

export function CommunityHeader({
  c,
  tab,
  onChanged,
}: {
  c: Community;
  tab: HeaderTab;
  onChanged: () => void;
}) {
  const { me } = useSession();
  const base = `/c/${c.slug}`;
  const tabs: [HeaderTab, string, string][] = [
    ['threads', 'Threads', base],
    ['events', 'Events', `${base}/events`],
    ['about', 'About', `${base}/about`],
    ['members', 'Members', `${base}/members`],
    ['modlog', 'Mod log', `${base}/modlog`],
    ['leaderboard', 'Leaderboard', `${base}/leaderboard`],
    ['rewards', 'Rewards', `${base}/rewards`],
  ];
  if (isActiveMember(c)) tabs.push(['notes', 'Notes to rate', `${base}/notes`]);
  if (canModerate(c, me?.isAdmin)) tabs.push(['moderation', 'Moderation', `${base}/moderation`]);
  if (canModerate(c, me?.isAdmin)) tabs.push(['settings', 'Settings', `${base}/settings`]);
  if (canModerate(c, me?.isAdmin)) tabs.push(['analytics', 'Analytics', `${base}/analytics`]);
  return (
    <header className="community-head card">
      <div className="community-title">
        <div className="grow">
          <h1>{c.name}</h1>
          {c.description && <p className="community-description">{c.description}</p>}
          <p className="meta">
            <span className="badge">{c.visibility === 'private' ? 'Private' : 'Public'}</span>
            <MembershipBadge c={c} />
            <span>{plural(c.memberCount, 'member')}</span>
            <span>{plural(c.threadCount, 'thread')}</span>
          </p>
        </div>
        <div className="community-actions">
          <JoinPanel c={c} onChanged={onChanged} />
          <WatchButton
            slug={c.slug}
            canRead={c.visibility === 'public' || c.membership?.status === 'active'}
          />
          <RelationButton rel="mutes" kind="communities" name={c.slug} label={c.name} />
        </div>
      </div>
      {/* Moderators are never held back by changed guidelines; members are asked to accept them. */}
      {isActiveMember(c) && !canModerate(c, me?.isAdmin) && <GuidelinesBanner slug={c.slug} />}
      <nav aria-label="Community sections" className="tabs">
        {tabs.map(([key, label, href]) => (
          <a key={key} href={href} aria-current={tab === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </header>
  );
}

function About({ c }: { c: Community }) {
  const policy = {
    open: 'Anyone can join.',
    request: 'Anyone can ask to join; a moderator approves.',
    invite: 'Members join by invitation only.',
  }[c.joinPolicy];
  return (
    <div className="stack">
      <section className="card" aria-labelledby="about-h">
        <h2 id="about-h">About</h2>
        {c.description ? (
          <p className="pre-wrap">{c.description}</p>
        ) : (
          <p className="muted">No description yet.</p>
        )}
        <p className="muted">
          {c.visibility === 'private' ? 'Private: only members can see it.' : 'Public: anyone can read it.'}{' '}
          {policy} Started {formatDate(c.createdAt)}.
        </p>
      </section>
      <section className="card" aria-labelledby="guidelines-h">
        <h2 id="guidelines-h">Guidelines</h2>
        {c.guidelines.trim() ? (
          <Markdown source={c.guidelines} />
        ) : (
          <p className="muted">No guidelines yet.</p>
        )}
        {c.membership?.guidelinesAcceptedAt && (
          <p className="muted small">
            You accepted these on {formatDate(c.membership.guidelinesAcceptedAt)}.
          </p>
        )}
      </section>
    </div>
  );
}

function Members({ c }: { c: Community }) {
  const first = useAsync(() => api.members(c.slug, { limit: 50 }), [c.slug]);
  const [more, setMore] = useState<Page<Member>[]>([]);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await api.members(c.slug, { limit: 50, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)].filter(
    (m) => m.status === 'active',
  );
  return (
    <section className="card" aria-labelledby="members-h">
      <h2 id="members-h">Members</h2>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading lines={4} />
      ) : (
        <ul className="list member-list">
          {items.map((m) => (
            <li key={m.userId} className="list-row">
              <Avatar user={m} size={36} />
              <div className="grow">
                <a href={`/c/${c.slug}/members/${m.username}`}>{m.displayName}</a>{' '}
                <span className="muted">@{m.username}</span>
                {m.joinedAt && <div className="muted small">joined {formatDate(m.joinedAt)}</div>}
              </div>
              {m.role !== 'member' && (
                <span className="badge badge-accent">{m.role === 'owner' ? 'Owner' : 'Moderator'}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => loadMore.run()}
          disabled={loadMore.pending}
        >
          Show more
        </button>
      )}
      <ErrorMessage error={loadMore.error} />
    </section>
  );
}

const SORT_KEYS = ['hot', 'active', 'scaled', 'controversial', 'top', 'new', 'most_comments'] as const;

/** Reads ?sort, ?period and ?tag of the thread list. */
export function useListParams() {
  const { search } = useLocation();
  const sort = SORT_KEYS.find((s) => s === search.get('sort')) ?? 'hot';
  const period =
    (['day', 'week', 'month', 'year', 'all'] as const).find((p) => p === search.get('period')) ?? 'week';
  const tag = search.get('tag') ?? '';
  return { sort, period, tag };
}
