import type { ReactionKind } from '../modules/content/content.schema.ts';
import { DAY, HOUR, MINUTE } from '../platform/clock.ts';
import { mulberry32 } from '../platform/random.ts';
import { DEMO_GAMIFICATION } from './demo-data/gamification.ts';
import { KILN_AND_CLAY } from './demo-data/kiln-and-clay.ts';
import { PEOPLE } from './demo-data/people.ts';
import { PLANT_KITCHEN } from './demo-data/plant-kitchen.ts';
import { TRAIL_RUNNERS } from './demo-data/trail-runners.ts';
import type { DemoComment, DemoCommunity, DemoPerson } from './demo-data/types.ts';

/** The member `hearth serve` suggests logging in as: owner of the trail runners, member of all three communities. */
export const DEMO_LOGIN = 'maya';

/**
 * The demo as a time-ordered list of actions over the three weeks before
 * `end`. Pure and deterministic (a seeded PRNG decides times and reactions),
 * so the same `end` always gives the same plan; demo.ts replays it through
 * the services with the clock pinned to each action's time.
 */
export const DEMO_SEED = 20_260_601;
export const DEMO_SPAN_MS = 21 * DAY;
export const DEMO_PEOPLE: readonly DemoPerson[] = PEOPLE;
export const DEMO_COMMUNITIES: readonly DemoCommunity[] = [TRAIL_RUNNERS, PLANT_KITCHEN, KILN_AND_CLAY];

type Membership = { user: string; community: string };
export type DemoAction = { at: number } & (
  | { kind: 'sign-up' | 'profile'; user: string }
  | { kind: 'create-community'; community: string }
  | ({ kind: 'join' } & Membership)
  | ({ kind: 'invite' | 'approve' | 'make-moderator'; by: string } & Membership)
  | {
      kind: 'thread';
      key: string;
      community: string;
      by: string;
      title: string;
      body: string;
      tags: string[];
    }
  | { kind: 'pin'; by: string; thread: string }
  | { kind: 'comment'; key: string; thread: string; parent: string | null; by: string; body: string }
  | { kind: 'react'; by: string; target: 'thread' | 'comment'; key: string; reaction: ReactionKind }
  // Gamification (issue 7): the owner's set-up, daily visits, accepted answers, a badge, a redemption.
  | { kind: 'gamification-setup'; community: string }
  | ({ kind: 'visit' } & Membership)
  | { kind: 'accept'; by: string; thread: string; comment: string }
  | ({ kind: 'grant-badge'; by: string; badge: string; reason: string } & Membership)
  | { kind: 'redeem'; by: string; community: string; reward: string }
  // Analytics (issue 8): members' consent answers, and reading reported during their visits.
  | { kind: 'consent'; user: string; granted: boolean }
  | { kind: 'read'; user: string; thread: string; ms: number }
);

export interface DemoPlan {
  actions: DemoAction[];
  counts: { members: number; communities: number; threads: number; comments: number; reactions: number };
}

/** Demo randomness on mulberry32 (platform/random.ts): good enough to make demo data look random. */
export function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    /** k distinct items, in random order. */
    sample<T>(items: readonly T[], k: number): T[] {
      const copy = [...items];
      for (let i = 0; i < Math.min(k, copy.length); i++) {
        const j = int(i, copy.length - 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, k);
    },
    weighted<T>(entries: readonly (readonly [T, number])[]): T {
      let r = next() * entries.reduce((s, [, w]) => s + w, 0);
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      return entries[entries.length - 1]![0];
    },
  };
}

const THREAD_REACTIONS = [
  ['like', 40],
  ['love', 15],
  ['insightful', 20],
  ['celebrate', 10],
  ['funny', 10],
  ['downvote', 3],
] as const;
const COMMENT_REACTIONS = [
  ['like', 45],
  ['insightful', 20],
  ['funny', 15],
  ['love', 10],
  ['celebrate', 5],
  ['downvote', 5],
] as const;
const REACTIONS_PER_COMMENT = [
  [0, 35],
  [1, 35],
  [2, 20],
  [3, 10],
] as const;

export function planDemo(end: number, seed = DEMO_SEED): DemoPlan {
  const rnd = prng(seed);
  // Gamification's choices come from their own sequence, so the rest of the plan stays as it was.
  const g = prng(seed ^ 0x9e3779b9);
  // Analytics' choices (consent, reading), likewise on a sequence of their own.
  const r = prng(seed ^ 0x85ebca6b);
  const start = end - DEMO_SPAN_MS;
  const actions: DemoAction[] = [];
  const second = (t: number) => Math.floor(t / 1000) * 1000;
  const push = (a: DemoAction) => actions.push({ ...a, at: second(a.at) });
  const mins = (lo: number, hi: number) => rnd.int(lo * MINUTE, hi * MINUTE);
  // A moment after `t`, squeezed so that nothing lands in the future.
  const after = (t: number, delay: number) => t + Math.max(MINUTE, Math.min(delay, (end - t) * 0.8));
  const people = new Map(DEMO_PEOPLE.map((p) => [p.username, p]));

  const owners = new Set(DEMO_COMMUNITIES.map((c) => c.owner));
  const signedUp = new Map<string, number>();
  for (const p of DEMO_PEOPLE) {
    const at = owners.has(p.username) ? start + mins(0, 90) : start + mins(120, 3 * 24 * 60);
    signedUp.set(p.username, at);
    push({ at, kind: 'sign-up', user: p.username });
    push({ at: at + mins(2, 15), kind: 'profile', user: p.username });
    // About two thirds answer the consent question with yes, a sixth with no; the rest, and the
    // member the demo suggests logging in as, have not answered (they are asked on their next visit).
    const answer = r.next();
    if (p.username !== DEMO_LOGIN && answer < 0.85)
      push({ at: at + 5 * MINUTE, kind: 'consent', user: p.username, granted: answer < 0.68 });
  }

  const threadsFrom = start + 5 * DAY;
  const counts = {
    members: DEMO_PEOPLE.length,
    communities: DEMO_COMMUNITIES.length,
    threads: 0,
    comments: 0,
    reactions: 0,
  };
  for (const c of DEMO_COMMUNITIES) {
    const member = (u: string) => {
      if (!people.has(u)) throw new Error(`demo data: ${c.slug} names unknown member ${u}`);
      return u;
    };
    const created = signedUp.get(member(c.owner))! + mins(20, 60);
    push({ at: created, kind: 'create-community', community: c.slug });
    if (DEMO_GAMIFICATION[c.slug])
      push({ at: created + MINUTE, kind: 'gamification-setup', community: c.slug });
    const activeSince = new Map<string, number>([[c.owner, created]]);
    for (const u of [...c.members, ...(c.pending ?? [])].map(member)) {
      let at = Math.max(signedUp.get(u)!, created);
      if (c.joinPolicy === 'invite') {
        at += mins(60, 8 * 60);
        push({ at, kind: 'invite', by: c.owner, user: u, community: c.slug });
      }
      at += mins(10, 20 * 60);
      push({ at, kind: 'join', user: u, community: c.slug });
      if (c.pending?.includes(u)) continue;
      if (c.joinPolicy === 'request') {
        at += mins(20, 10 * 60);
        push({ at, kind: 'approve', by: c.owner, user: u, community: c.slug });
      }
      activeSince.set(u, at);
    }
    if (!activeSince.has(c.moderator))
      throw new Error(`demo data: moderator ${c.moderator} is not in ${c.slug}`);
    push({
      at: activeSince.get(c.moderator)! + mins(60, 6 * 60),
      kind: 'make-moderator',
      by: c.owner,
      user: c.moderator,
      community: c.slug,
    });
    const active = [...activeSince.keys()];
    if (Math.max(...activeSince.values()) + 6 * HOUR >= threadsFrom)
      throw new Error('demo data: joins overlap threads');
    const mustBeActive = (u: string) => {
      if (!activeSince.has(u))
        throw new Error(`demo data: ${u} posts in ${c.slug} without being an active member`);
      return u;
    };

    const react = (target: 'thread' | 'comment', key: string, at: number, author: string, n: number) => {
      const kinds = target === 'thread' ? THREAD_REACTIONS : COMMENT_REACTIONS;
      for (const by of rnd.sample(
        active.filter((u) => u !== author),
        n,
      )) {
        push({
          at: after(at, mins(5, 2 * 24 * 60)),
          kind: 'react',
          by,
          target,
          key,
          reaction: rnd.weighted(kinds),
        });
        counts.reactions++;
      }
    };
    const comment = (thread: string, parent: string | null, key: string, at: number, cm: DemoComment) => {
      push({ at, kind: 'comment', key, thread, parent, by: mustBeActive(cm.by), body: cm.body });
      counts.comments++;
      react('comment', key, at, cm.by, rnd.weighted(REACTIONS_PER_COMMENT));
      let t = at;
      (cm.replies ?? []).forEach((reply, i) => {
        t = after(t, mins(10, 5 * 60));
        comment(thread, key, `${key}.${i}`, t, reply);
      });
    };

    // The welcome thread opens the community; the others are spread over the remaining two weeks.
    const threadTimes: [string, number][] = [];
    const times = c.threads.map((_, i) =>
      i === 0 ? threadsFrom + mins(0, 180) : rnd.int(threadsFrom + 6 * HOUR, end - 3 * HOUR),
    );
    times.sort((a, b) => a - b);
    c.threads.forEach((th, i) => {
      const key = `${c.slug}/${i}`;
      const at = times[i]!;
      threadTimes.push([key, at]);
      push({
        at,
        kind: 'thread',
        key,
        community: c.slug,
        by: mustBeActive(th.by),
        title: th.title,
        body: th.body,
        tags: th.tags ?? [],
      });
      counts.threads++;
      if (th.pinned) push({ at: after(at, mins(20, 180)), kind: 'pin', by: c.moderator, thread: key });
      react('thread', key, at, th.by, rnd.int(1, 7));
      let t = at;
      // A question's author accepts the first answer by someone else (issue 7).
      const answer = th.title.trim().endsWith('?') ? th.comments.findIndex((cm) => cm.by !== th.by) : -1;
      th.comments.forEach((cm, j) => {
        t = after(t, mins(5, 180) * (rnd.next() < 0.25 ? 6 : 1));
        comment(key, null, `${key}/c${j}`, t, cm);
        if (j === answer) {
          const delay = g.int(6 * 60, 30 * 60) * MINUTE;
          push({ at: after(t, delay), kind: 'accept', by: th.by, thread: key, comment: `${key}/c${j}` });
        }
      });
    });
    planVisits(c, activeSince, end, g, push, threadTimes, r);
    const extra = DEMO_GAMIFICATION[c.slug];
    if (extra?.hero)
      push({
        at: end - 3 * HOUR,
        kind: 'grant-badge',
        by: c.moderator,
        user: mustBeActive(extra.hero.user),
        community: c.slug,
        badge: 'community-hero',
        reason: extra.hero.reason,
      });
    if (extra?.redeem)
      push({
        at: end - 2 * HOUR,
        kind: 'redeem',
        by: mustBeActive(extra.redeem.by),
        community: c.slug,
        reward: extra.redeem.reward,
      });
  }
  // Stable sort: same-second actions keep their planned (causal) order.
  actions.sort((a, b) => a.at - b.at);
  return { actions, counts };
}

/**
 * Daily visits over the last two weeks: the owner, the moderator and the first two members drop
 * by on each of the last nine days (their streaks earn badges); everyone else on about a quarter
 * of the days. At most one a day each.
 */
function planVisits(
  c: DemoCommunity,
  activeSince: Map<string, number>,
  end: number,
  g: ReturnType<typeof prng>,
  push: (a: DemoAction) => void,
  threads: [string, number][],
  r: ReturnType<typeof prng>,
) {
  const regulars = new Set([c.owner, c.moderator, ...c.members.slice(0, 2)]);
  const last = Math.floor(end / DAY);
  for (const [user, since] of activeSince) {
    for (let day = Math.max(Math.floor(since / DAY) + 1, last - 13); day <= last; day++) {
      const daily = regulars.has(user) && day > last - 9;
      if (!daily && g.next() >= 0.25) continue;
      const at = day * DAY + g.int(6 * 60, 22 * 60) * MINUTE;
      if (at >= end - MINUTE) continue;
      push({ at, kind: 'visit', user, community: c.slug });
      // Reading during the visit: one to three threads of the last week, newest most likely,
      // each a span the reader reports (the tracker's spans are at most 5 minutes).
      const recent = threads.filter(([, t]) => t < at && t > at - 7 * DAY).reverse();
      let t = at;
      for (const [key] of r.sample(recent.slice(0, 6), r.int(1, 3))) {
        t += r.int(1, 4) * MINUTE;
        if (t >= end - MINUTE) break;
        push({ at: t, kind: 'read', user, thread: key, ms: r.int(20, 290) * 1000 });
      }
    }
  }
}

export const demoPerson = (username: string): DemoPerson => {
  const p = DEMO_PEOPLE.find((x) => x.username === username);
  if (!p) throw new Error(`demo data: no person ${username}`);
  return p;
};

export const demoCommunity = (slug: string): DemoCommunity => {
  const c = DEMO_COMMUNITIES.find((x) => x.slug === slug);
  if (!c) throw new Error(`demo data: no community ${slug}`);
  return c;
};
