import { useEffect, useState } from 'react';
import { gamification, type MemberLevel } from './api.ts';

/**
 * Levels next to names, batched: every name a page renders asks here, and the names asked for
 * in the same tick go out as one GET /communities/{slug}/member-levels request (up to 200 names),
 * so a thread with 80 comments costs one request, not 80. Answers are cached for a minute.
 */
const TTL_MS = 60_000;
type Entry = { at: number; level: MemberLevel | null };
const cache = new Map<string, Entry>();
const pending = new Map<string, Set<string>>();
const waiters = new Map<string, Set<() => void>>();
let scheduled = false;
/** Counts requests (component tests check the batching). */
export const levelRequests = { count: 0 };

const key = (slug: string, username: string) => `${slug}\u0000${username.toLowerCase()}`;

function flush() {
  scheduled = false;
  for (const [slug, names] of pending) {
    pending.delete(slug);
    const all = [...names];
    for (let i = 0; i < all.length; i += 200) {
      const chunk = all.slice(i, i + 200);
      levelRequests.count++;
      gamification.levels(slug, chunk).then(
        (r) => {
          const now = Date.now();
          const found = new Map(r.items.map((l) => [l.username, l]));
          for (const u of chunk)
            cache.set(key(slug, u), { at: now, level: found.get(u.toLowerCase()) ?? null });
          notify(slug, chunk);
        },
        // A failed lookup shows no level (names still render); the next page asks again.
        () => notify(slug, chunk),
      );
    }
  }
}

function notify(slug: string, names: string[]) {
  for (const u of names) {
    const k = key(slug, u);
    for (const fn of waiters.get(k) ?? []) fn();
    waiters.delete(k);
  }
}

function request(slug: string, username: string, done: () => void) {
  const k = key(slug, username);
  const set = waiters.get(k) ?? new Set();
  set.add(done);
  waiters.set(k, set);
  const names = pending.get(slug) ?? new Set();
  names.add(username.toLowerCase());
  pending.set(slug, names);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(flush);
  }
  return () => {
    set.delete(done);
  };
}

/** The member's level in a community (null until known, or for non-members). */
export function useMemberLevel(slug: string | undefined, username: string | undefined): MemberLevel | null {
  const k = slug && username ? key(slug, username) : '';
  const cached = k ? cache.get(k) : undefined;
  const fresh = cached && Date.now() - cached.at < TTL_MS;
  const [, rerender] = useState(0);
  useEffect(() => {
    if (!slug || !username || fresh) return;
    return request(slug, username, () => rerender((n) => n + 1));
  }, [slug, username, fresh]);
  return cached?.level ?? null;
}

/** Forget cached levels (after a change that moves them, e.g. the member's own post). */
export function forgetLevels(): void {
  cache.clear();
}
