import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunityHeader } from '../communities/CommunityPage.tsx';
import { actionLabel, type Modlog, type ModlogEntry, modApi, ruleText, type TargetRef } from './api.ts';
import { useCommunity } from './community.ts';

/**
 * The public moderation log of a community: what moderators did, when, to whom and citing
 * which rule, for everyone who can read the community. Moderator names show unless the
 * community hides them. The words of removed content never appear.
 */
export function ModlogPage({ slug }: { slug: string }) {
  const community = useCommunity(slug);
  const c = community.data;
  useTitle(c ? `Moderation log · ${c.name}` : 'Moderation log');
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  return (
    <div className="community">
      <CommunityHeader c={c} tab="modlog" onChanged={community.reload} />
      <LogList slug={c.slug} />
    </div>
  );
}

function LogList({ slug }: { slug: string }) {
  const first = useAsync(() => modApi.modlog(slug, { limit: 50 }), [slug]);
  const [more, setMore] = useState<Modlog[]>([]);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await modApi.modlog(slug, { limit: 50, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)];
  return (
    <section className="card" aria-labelledby="modlog-h">
      <h2 id="modlog-h">Moderation log</h2>
      <p className="muted small">
        Public: removals, locks, mutes, bans and their reversals.
        {first.data && !first.data.moderatorsShown && ' This community does not name its moderators here.'}
      </p>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading lines={4} height="12rem" />
      ) : items.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="list modlog">
          {items.map((e) => (
            <Entry key={e.id} e={e} slug={slug} shown={first.data?.moderatorsShown ?? true} />
          ))}
        </ol>
      )}
      {nextCursor && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => loadMore.run()}
          disabled={loadMore.pending}
        >
          Show older
        </button>
      )}
      <ErrorMessage error={loadMore.error} />
    </section>
  );
}

/** What an action was about; a removed thread is gone for readers, so it gets no link. */
export function targetText(t: TargetRef | null, slug: string | null, action?: string) {
  if (!t || t.id == null) return null;
  if (t.type === 'thread' && action === 'remove') return 'a thread';
  if (t.type === 'thread' && slug) return <a href={`/c/${slug}/t/${t.id}`}>thread #{t.id}</a>;
  if (t.type === 'thread') return `thread #${t.id}`;
  if (t.type === 'comment') return `a comment`;
  return null;
}

function Entry({ e, slug, shown }: { e: ModlogEntry; slug: string; shown: boolean }) {
  const what = targetText(e.target, slug, e.revoked ? undefined : e.action);
  return (
    <li className="list-row wrap modlog-entry">
      <time className="muted small" dateTime={e.createdAt}>
        {formatDate(e.createdAt)}
      </time>
      <span className="grow">
        <strong>{actionLabel(e.action)}</strong>
        {e.member && (
          <>
            {' '}
            <a href={`/u/${e.member}`}>@{e.member}</a>
          </>
        )}
        {what && <> · {what}</>}
        {e.expiresAt && ` · until ${formatDate(e.expiresAt)}`}
        {e.revoked && <span className="badge">lifted</span>}
        {(e.reason || e.rule) && (
          <span className="block small">
            {e.rule && <span>{ruleText(e.rule)} </span>}
            {e.reason}
          </span>
        )}
      </span>
      <span className="small muted">
        {e.moderator ? `by @${e.moderator}` : shown ? '' : 'by a moderator'}
      </span>
    </li>
  );
}
