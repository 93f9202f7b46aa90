import { useEffect, useSyncExternalStore } from 'react';
import { useSession } from '../../app/session.tsx';
import { useAction } from '../../lib/useAction.ts';
import { entryName, feedApi, type MuteKind, type Relation, type RelationEntry } from './api.ts';

/**
 * What the signed-in member follows and mutes, loaded once per kind (every page of the list)
 * and kept up to date by the buttons, so every Follow / Mute button on any page shows the
 * right state without asking the server about one name at a time. Kept per member id, so
 * signing in as someone else never shows the previous member's follows.
 */
interface Slot {
  names: Set<string> | null;
  entries: RelationEntry[];
  loading: Promise<void> | null;
  error: unknown;
}

let slots = new Map<string, Slot>();
let version = 0;
const listeners = new Set<() => void>();
const notify = () => {
  version++;
  for (const l of listeners) l();
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};
const snapshot = () => version;

/** Usernames, tags and slugs are case-insensitive on the server. */
const norm = (name: string) => name.toLowerCase();

function slot(key: string): Slot {
  let s = slots.get(key);
  if (!s) {
    s = { names: null, entries: [], loading: null, error: null };
    slots.set(key, s);
  }
  return s;
}

/** Forgets everything (tests). */
export function resetSocial(): void {
  slots = new Map();
  notify();
}

function load(key: string, rel: Relation, kind: MuteKind): Promise<void> {
  const s = slot(key);
  if (s.names) return Promise.resolve();
  s.loading ??= (async () => {
    const entries: RelationEntry[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page = await feedApi.list(rel, kind, { limit: 100, cursor });
        entries.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      s.entries = entries;
      s.names = new Set(entries.map((e) => norm(entryName(e))));
      s.error = null;
    } catch (err) {
      s.error = err;
    } finally {
      s.loading = null;
      notify();
    }
  })();
  return s.loading;
}

/** The viewer's follows or mutes of one kind: entries (newest first) and whether a name is in them. */
export function useRelationList(rel: Relation, kind: MuteKind) {
  const { me } = useSession();
  useSyncExternalStore(subscribe, snapshot, snapshot);
  const key = `${me?.id ?? 0}:${rel}:${kind}`;
  useEffect(() => {
    if (me) load(key, rel, kind);
  }, [key, me, rel, kind]);
  const s = slot(key);
  return {
    key,
    ready: s.names !== null,
    entries: s.entries,
    error: s.error,
    has: (name: string) => s.names?.has(norm(name)) ?? false,
    /** Loads the list again (the manage page: new follows carry display names from the server). */
    reload: () => {
      slots.delete(key);
      notify();
      return load(key, rel, kind);
    },
  };
}

/** Follow / unfollow or mute / unmute one name; every button for it updates at once. */
export function useRelation(rel: Relation, kind: MuteKind, name: string) {
  const list = useRelationList(rel, kind);
  const active = list.has(name);
  const toggle = useAction(async () => {
    const on = !active;
    await feedApi.relate(rel, kind, name, on);
    const s = slot(list.key);
    if (s.names) {
      const names = new Set(s.names);
      if (on) names.add(norm(name));
      else names.delete(norm(name));
      s.names = names;
      if (!on) s.entries = s.entries.filter((e) => norm(entryName(e)) !== norm(name));
    }
    notify();
  });
  return { ready: list.ready, active, toggle: toggle.run, pending: toggle.pending, error: toggle.error };
}
