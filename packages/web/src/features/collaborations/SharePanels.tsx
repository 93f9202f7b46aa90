import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { type Collaboration, collabApi, eventsApi, type HearthEvent } from '../events/api.ts';

/** Active partners of a community the viewer moderates (null when they do not: nothing to show). */
function useActivePartners(slug: string) {
  return useAsync(async () => {
    try {
      return (await collabApi.collaborations(slug)).items.filter((p) => p.status === 'active');
    } catch (err) {
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
      throw err;
    }
  }, [slug]);
}

type Shared = { id: number; slug: string; name: string };

/**
 * Share something with a partner community. A private community's content going into a
 * public partner needs the owner's explicit confirmation: the server asks for it
 * (CROSSPOST_CONFIRMATION_REQUIRED) and this panel shows the question.
 */
function SharePanel({
  title,
  originSlug,
  shared,
  share,
  unshare,
}: {
  title: string;
  originSlug: string;
  shared: Shared[];
  share: (slug: string, confirm?: boolean) => Promise<unknown>;
  unshare: (slug: string) => Promise<unknown>;
}) {
  const partners = useActivePartners(originSlug);
  const [target, setTarget] = useState('');
  const [confirmFor, setConfirmFor] = useState<string | null>(null);
  const go = useAction(async (confirm?: boolean) => {
    try {
      await share(target, confirm);
      setConfirmFor(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CROSSPOST_CONFIRMATION_REQUIRED') setConfirmFor(target);
      throw err;
    }
  });
  const remove = useAction(async (slug: string) => unshare(slug));
  if (partners.data === null) return null;
  const options = (partners.data ?? []).filter(
    (p: Collaboration) => !shared.some((s) => s.id === p.partner.id),
  );
  return (
    <section className="card stack" aria-labelledby={`share-${title}`}>
      <h2 id={`share-${title}`}>{title}</h2>
      {shared.length > 0 && (
        <ul className="list">
          {shared.map((s) => (
            <li key={s.id} className="list-row">
              <a href={`/c/${s.slug}`} className="grow">
                {s.name}
              </a>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => remove.run(s.slug)}
                disabled={remove.pending}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {options.length ? (
        <div className="row">
          <label className="grow">
            Partner community
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">Choose…</option>
              {options.map((p) => (
                <option key={p.id} value={p.partner.slug}>
                  {p.partner.name}
                  {p.partner.visibility === 'public' ? ' (public)' : ''}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button" disabled={!target || go.pending} onClick={() => go.run()}>
            Share
          </button>
        </div>
      ) : (
        <p className="muted">
          No partner community to share with. Collaborations are set up in the community settings.
        </p>
      )}
      <ErrorMessage error={go.error ?? remove.error ?? partners.error} />
      {confirmFor && confirmFor === target && (
        <button type="button" className="button" onClick={() => go.run(true)} disabled={go.pending}>
          Yes, make it readable in that public community
        </button>
      )}
    </section>
  );
}

export function CohostPanel({ e, onChanged }: { e: HearthEvent; onChanged: () => void }) {
  return (
    <SharePanel
      title="Co-hosts"
      originSlug={e.community.slug}
      shared={e.cohosts}
      share={async (slug, confirm) => {
        await eventsApi.cohost(e.id, slug, confirm);
        onChanged();
      }}
      unshare={async (slug) => {
        await eventsApi.removeCohost(e.id, slug);
        onChanged();
      }}
    />
  );
}

/** Cross-posting of a thread, for moderators of its community (the thread page shows it to them). */
export function CrosspostPanel({ threadId, originSlug }: { threadId: number; originSlug: string }) {
  const list = useAsync(() => collabApi.crossposts(threadId), [threadId]);
  return (
    <SharePanel
      title="Cross-post"
      originSlug={originSlug}
      shared={list.data?.items ?? []}
      share={async (slug, confirm) => list.setData(await collabApi.crosspost(threadId, slug, confirm))}
      unshare={async (slug) => list.setData(await collabApi.removeCrosspost(threadId, slug))}
    />
  );
}

/** "Also in": the partner communities a thread was cross-posted to, for everyone who can see them. */
export function CrosspostedIn({ threadId }: { threadId: number }) {
  const list = useAsync(() => collabApi.crossposts(threadId), [threadId]);
  const items = list.data?.items ?? [];
  if (!items.length) return null;
  return (
    <p className="muted small">
      Also in{' '}
      {items.map((c, i) => (
        <span key={c.id}>
          {i > 0 && ', '}
          <a href={`/c/${c.slug}`}>{c.name}</a>
        </span>
      ))}
    </p>
  );
}

/**
 * The viewer's membership in a partner community the thread is cross-posted to, when they
 * are not a member of its own community: members of either may comment (as plain members).
 */
export function usePartnerMembership(threadId: number, ownMember: boolean) {
  return useAsync(async () => {
    if (ownMember) return null;
    const { items } = await collabApi.crossposts(threadId);
    for (const c of items) {
      const full = await api.community(c.slug).catch(() => null);
      if (full?.membership?.status === 'active') return { ...full.membership, role: 'member' as const };
    }
    return null;
  }, [threadId, ownMember]);
}
