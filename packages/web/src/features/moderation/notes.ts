import { useSession } from '../../app/session.tsx';
import type { Community } from '../../lib/api.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { type ContextNote, modApi } from './api.ts';
import type { NotesCtx } from './ContextNotes.tsx';

/**
 * A thread's context notes (its own and its comments'), and whether the viewer may write
 * one: moderators always, members from the trust level the community sets.
 */
export function useThreadNotes(threadId: number, c: Community | undefined, ready: boolean): NotesCtx {
  const { me } = useSession();
  const list = useAsync(
    () => (ready ? modApi.notes(threadId) : Promise.resolve({ items: [] as ContextNote[] })),
    [threadId, ready, me?.id],
  );
  const member = c?.membership?.status === 'active';
  const isModerator =
    !!me?.isAdmin || (member && (c?.membership?.role === 'owner' || c?.membership?.role === 'moderator'));
  const trust = useAsync(
    () => (me && c && member && !isModerator ? modApi.trust(c.slug, me.username) : Promise.resolve(null)),
    [c?.slug, me?.username, member, isModerator],
  );
  const set = (f: (items: ContextNote[]) => ContextNote[]) =>
    list.setData((d) => ({ items: f(d?.items ?? []) }));
  return {
    notes: list.data?.items ?? [],
    canWrite: !!me && (isModerator || !!trust.data?.unlocks.writeContextNotes),
    isModerator,
    replace: (n) => set((items) => items.map((x) => (x.id === n.id ? n : x))),
    add: (n) => set((items) => [...items, n]),
    remove: (id) => set((items) => items.filter((x) => x.id !== id)),
  };
}
