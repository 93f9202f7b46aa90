import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, type Page } from '../../lib/api.ts';
import { timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { CommunityHeader } from '../communities/CommunityPage.tsx';
import { type Helpful, modApi, type NoteToRate } from './api.ts';
import { useCommunity } from './community.ts';

/** "Notes needing ratings": context notes a rater of the community has not rated yet, to rate in a row. */
export function NotesToRatePage({ slug }: { slug: string }) {
  const { me, loading } = useSession();
  const community = useCommunity(slug);
  const c = community.data;
  useTitle(c ? `Notes needing ratings · ${c.name}` : 'Notes needing ratings');
  if (loading) return <Loading lines={4} height="16rem" />;
  if (!me) return <SignInPrompt what="rate context notes" />;
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={4} height="16rem" />;
  return (
    <div className="community">
      <CommunityHeader c={c} tab="notes" onChanged={community.reload} />
      <NotesList slug={c.slug} />
    </div>
  );
}

function NotesList({ slug }: { slug: string }) {
  const first = useAsync(() => modApi.notesToRate(slug, { limit: 20 }), [slug]);
  const [more, setMore] = useState<Page<NoteToRate>[]>([]);
  const [rated, setRated] = useState<Record<number, Helpful>>({});
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await modApi.notesToRate(slug, { limit: 20, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  const rate = useAction(async (id: number, h: Helpful) => {
    await modApi.rateNote(id, h);
    setRated((r) => ({ ...r, [id]: h }));
  });
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)];
  return (
    <section className="card" aria-labelledby="torate-h">
      <h2 id="torate-h">Notes needing ratings</h2>
      <p className="muted small">
        A note is shown under its post once members who usually disagree both rate it helpful. Rate what you
        can judge; open the thread for the context.
      </p>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading lines={3} height="10rem" />
      ) : items.length === 0 && !first.error ? (
        <p className="muted">No notes are waiting for your rating.</p>
      ) : (
        <ul className="list">
          {items.map((n) => (
            <li key={n.id} className="list-row wrap">
              <div className="grow min0">
                <a
                  href={`/c/${slug}/t/${n.thread.id}${n.targetType === 'comment' ? `#comment-${n.targetId}` : ''}`}
                >
                  {n.targetType === 'comment' ? 'A comment in ' : ''}
                  {n.thread.title}
                </a>
                <p className="pre-wrap">{n.body}</p>
                <p className="meta">
                  {n.author && <span>by @{n.author}</span>}
                  <span>{timeAgo(n.createdAt)}</span>
                  <span>{n.ratingCount} ratings</span>
                </p>
              </div>
              {rated[n.id] ? (
                <output className="ok-text small">Rated, thank you.</output>
              ) : (
                // biome-ignore lint/a11y/useSemanticElements: three buttons, not a form fieldset
                <div className="row" role="group" aria-label="Is this note helpful?">
                  {(
                    [
                      ['yes', 'Helpful'],
                      ['somewhat', 'Somewhat'],
                      ['no', 'Not helpful'],
                    ] as const
                  ).map(([h, label]) => (
                    <button
                      key={h}
                      type="button"
                      className="button button-secondary button-small"
                      disabled={rate.pending}
                      onClick={() => rate.run(n.id, h)}
                    >
                      {label}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={rate.error ?? loadMore.error} />
      {nextCursor && (
        <button type="button" className="button button-secondary" onClick={() => loadMore.run()}>
          Show more
        </button>
      )}
    </section>
  );
}
