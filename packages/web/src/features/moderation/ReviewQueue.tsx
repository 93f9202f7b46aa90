import { type KeyboardEvent, useRef, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { Page } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { type ActBody, type ActionKind, modApi, type QueueItem } from './api.ts';
import { type CardState, type Draft, EMPTY_DRAFT, QueueCard } from './QueueCard.tsx';
import { NEEDS_REASON, SHORTCUTS, shortcutFor } from './shortcuts.ts';

const INITIAL: CardState = {
  draft: EMPTY_DRAFT,
  pending: false,
  error: null,
  resolution: null,
  wantsReason: null,
};

/** The request for an action from what the moderator wrote: durations only where they apply. */
export function actBody(action: ActionKind, d: Draft): ActBody {
  const body: ActBody = { action };
  if (d.reason.trim()) body.reason = d.reason.trim();
  if (d.rule != null) body.ruleNumber = d.rule;
  // A mute without a duration follows the escalation ladder on the server.
  if (action === 'mute' && d.muteHours != null) body.durationHours = d.muteHours;
  if (action === 'ban' || action === 'suspend') body.durationHours = d.banHours;
  return body;
}

/**
 * A review queue on one screen: a community's (slug) or the site's (null, site admins),
 * highest score first. Each item acts in one click; from the keyboard, j / k move between
 * items and a, r, l, w, m, b, e act on the focused one (a reason is asked for first where
 * the member will be told why). Handled items stay in place, marked, until the next load.
 */
export function ReviewQueue({ slug }: { slug: string | null }) {
  const { me } = useSession();
  const first = useAsync(() => modApi.queue(slug, { limit: 25 }), [slug]);
  const guidelines = useAsync(() => (slug ? modApi.guidelines(slug) : Promise.resolve(null)), [slug]);
  const [more, setMore] = useState<Page<QueueItem>[]>([]);
  const [states, setStates] = useState<Record<number, CardState>>({});
  const listRef = useRef<HTMLDivElement>(null);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await modApi.queue(slug, { limit: 25, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)];
  const rules = guidelines.data?.rules ?? [];
  const stateOf = (id: number) => states[id] ?? INITIAL;
  const patch = (id: number, p: Partial<CardState>) =>
    setStates((s) => ({ ...s, [id]: { ...(s[id] ?? INITIAL), ...p } }));

  const cards = () => [...(listRef.current?.querySelectorAll<HTMLElement>('[data-item]') ?? [])];
  const focusItem = (el: HTMLElement | undefined) => el?.focus();
  const focusNextOpen = (fromId: number) => {
    const all = cards();
    const at = all.findIndex((c) => c.dataset.item === String(fromId));
    const next = [...all.slice(at + 1), ...all.slice(0, at)].find((c) => !c.classList.contains('resolved'));
    focusItem(next);
  };

  const act = async (item: QueueItem, action: ActionKind) => {
    const st = stateOf(item.id);
    if (st.pending || st.resolution) return;
    if (NEEDS_REASON.has(action) && !st.draft.reason.trim()) {
      patch(item.id, { wantsReason: action, error: null });
      document.getElementById(`reason-${item.id}`)?.focus();
      return;
    }
    patch(item.id, { pending: true, error: null });
    try {
      const r = await modApi.act(item.id, actBody(action, st.draft));
      patch(item.id, { pending: false, resolution: r.resolution, wantsReason: null });
      focusNextOpen(item.id);
    } catch (error) {
      patch(item.id, { pending: false, error });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const key = shortcutFor(e.nativeEvent);
    if (!key) return;
    const all = cards();
    if (!all.length) return;
    const current = (e.target as HTMLElement).closest<HTMLElement>('[data-item]');
    const at = current ? all.indexOf(current) : -1;
    e.preventDefault();
    if (key === 'next' || key === 'prev') {
      focusItem(all[key === 'next' ? Math.min(at + 1, all.length - 1) : Math.max(at - 1, 0)]);
      return;
    }
    const item = items.find((i) => String(i.id) === (current ?? all[0]!).dataset.item);
    if (item) act(item, key);
  };

  return (
    <section className="review-queue" aria-labelledby="queue-h">
      <div className="row">
        <h2 id="queue-h" className="grow">
          {slug ? 'Review queue' : 'Site review queue'}
        </h2>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            setMore([]);
            setStates({});
            first.reload();
          }}
        >
          Reload
        </button>
      </div>
      <p className="muted small">
        Highest score first: reports weigh by the reporter's trust. Shortcuts: <kbd>j</kbd>/<kbd>k</kbd> next
        / previous,{' '}
        {Object.entries(SHORTCUTS)
          .filter(([, v]) => v !== 'next' && v !== 'prev')
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        .
      </p>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading label="Loading the queue…" lines={5} height="20rem" />
      ) : items.length === 0 && !first.error ? (
        <p className="empty card muted">Nothing to review. Well done.</p>
      ) : (
        // biome-ignore lint/a11y/noStaticElementInteractions: keyboard shortcuts for the items inside, which are focusable
        <div ref={listRef} className="queue-list" onKeyDown={onKeyDown}>
          {items.map((item) => (
            <QueueCard
              key={item.id}
              item={item}
              rules={item.community === slug ? rules : []}
              state={stateOf(item.id)}
              isAdmin={!!me?.isAdmin}
              onDraft={(draft) => patch(item.id, { draft })}
              onAct={(action) => act(item, action)}
            />
          ))}
        </div>
      )}
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
    </section>
  );
}
