import type { Db } from '../db/index.ts';
import { findUserByUsername } from '../modules/accounts/accounts.queries.ts';
import { signUp, updateProfile } from '../modules/accounts/accounts.service.ts';
import { ingest } from '../modules/analytics/ingest.service.ts';
import { findCommunityBySlug } from '../modules/communities/communities.queries.ts';
import {
  approve,
  createCommunity,
  invite,
  join,
  setRole,
} from '../modules/communities/communities.service.ts';
import { acceptAnswer } from '../modules/content/answers.service.ts';
import { createComment } from '../modules/content/comments.service.ts';
import { refreshHotRanks } from '../modules/content/content.ranking.ts';
import { react } from '../modules/content/reactions.service.ts';
import { createThread, updateThread } from '../modules/content/threads.service.ts';
import { grantManually, listCommunityBadges, runBadgeJob } from '../modules/gamification/badges.service.ts';
import { visit } from '../modules/gamification/gamification.service.ts';
import { createReward, redeem } from '../modules/gamification/rewards.service.ts';
import { saveSettings } from '../modules/gamification/settings.ts';
import { saveSettings as saveModerationSettings } from '../modules/moderation/settings.ts';
import { putConsent } from '../modules/privacy/privacy.service.ts';
import type { Viewer } from '../platform/auth.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import type { Events } from '../platform/events.ts';
import { DEMO_GAMIFICATION } from './demo-data/gamification.ts';
import {
  DEMO_COMMUNITIES,
  DEMO_LOGIN,
  DEMO_PEOPLE,
  type DemoAction,
  demoCommunity,
  demoPerson,
  planDemo,
} from './demo-plan.ts';

export { DEMO_LOGIN };

/**
 * The demo community: 30 members, 3 communities (one private), ~30 threads
 * with nested comments and reactions, spread over the past three weeks; daily
 * visits, and the reading reported during them (as the member's own where they
 * consented, else only under the anonymous daily key), so the analytics
 * dashboard has reading to show. Everything is created through the services, so events, markdown, mentions,
 * tags and counters are exactly what real use produces.
 */

/** Every demo member signs in with this password (documented in the README and printed by `hearth serve`). */
export const DEMO_PASSWORD = 'hearth-demo-2026';
export const DEMO_EMAIL_DOMAIN = 'example.com';

/**
 * Real time, except while the seeder pins it to moments in the past. The app
 * is built with one of these so that services and the outbox (whose events
 * carry their own timestamp) agree on when each demo action happened.
 */
export class DemoClock implements Clock {
  private pinned: number | null = null;
  constructor(private readonly base: Clock = systemClock) {}
  now(): number {
    return this.pinned ?? this.base.now();
  }
  pin(t: number): void {
    this.pinned = t;
  }
  release(): void {
    this.pinned = null;
  }
}

export interface DemoDeps {
  db: Db;
  /** The app's event bus (its handlers must be registered: build the app first). */
  events: Events;
  /** The clock the app was built with. */
  clock: DemoClock;
}

export interface DemoSummary {
  members: number;
  communities: number;
  threads: number;
  comments: number;
  reactions: number;
  login: { username: string; password: string };
}

/** How many accounts the database holds; the demo is meant for an empty one. */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Why the demo cannot be added to this database (its members or communities already exist), or null. */
export async function demoConflict(db: Db): Promise<string | null> {
  for (const c of DEMO_COMMUNITIES) {
    if (await findCommunityBySlug(db, c.slug)) return `a community "${c.slug}" already exists`;
  }
  for (const p of DEMO_PEOPLE) {
    if (await findUserByUsername(db, p.username)) return `a member "${p.username}" already exists`;
  }
  return null;
}

export async function seedDemo(
  deps: DemoDeps,
  opts: { log?: (line: string) => void } = {},
): Promise<DemoSummary> {
  const log = opts.log ?? (() => {});
  const plan = planDemo(deps.clock.now());
  const { members, communities, threads, comments, reactions } = plan.counts;
  log(
    `Seeding demo: ${members} members, ${communities} communities, ${threads} threads, ` +
      `${comments} comments, ${reactions} reactions`,
  );
  const run = replayer(deps);
  try {
    for (const action of plan.actions) {
      deps.clock.pin(action.at);
      await run(action).catch((err: Error) => {
        err.message = `demo action ${action.kind} (${JSON.stringify(action).slice(0, 160)}): ${err.message}`;
        throw err;
      });
    }
  } finally {
    deps.clock.release();
  }
  // Side effects (counters, and whatever other modules do with these events) before anyone looks.
  await deps.events.drain();
  await refreshHotRanks(deps.db, deps.clock.now());
  // Badges are granted by a periodic job; run it once so members have theirs right away.
  const badges = await runBadgeJob({ db: deps.db, events: deps.events, clock: deps.clock });
  await deps.events.drain();
  log(`Gamification: ${badges.granted} badges earned`);
  return { ...plan.counts, login: { username: DEMO_LOGIN, password: DEMO_PASSWORD } };
}

/** Executes one planned action through the services; remembers the ids it creates. */
function replayer(deps: DemoDeps) {
  const svc = { db: deps.db, events: deps.events, clock: deps.clock };
  const viewers = new Map<string, Viewer>();
  const threadIds = new Map<string, number>();
  const commentIds = new Map<string, number>();
  const rewardIds = new Map<string, number>();
  const as = (username: string) => {
    const v = viewers.get(username);
    if (!v) throw new Error(`${username} has not signed up yet`);
    return v;
  };
  const id = (ids: Map<string, number>, key: string) => {
    const v = ids.get(key);
    if (v === undefined) throw new Error(`${key} does not exist yet`);
    return v;
  };

  return async (a: DemoAction): Promise<void> => {
    switch (a.kind) {
      case 'sign-up': {
        const p = demoPerson(a.user);
        const email = `${p.username}@${DEMO_EMAIL_DOMAIN}`;
        const u = await signUp(svc, {
          username: p.username,
          email,
          password: DEMO_PASSWORD,
          displayName: p.displayName,
        });
        viewers.set(p.username, { userId: u.id, username: u.username, isAdmin: false, via: 'session' });
        return;
      }
      case 'profile': {
        const p = demoPerson(a.user);
        await updateProfile(svc, as(a.user), { bio: p.bio, interests: p.interests });
        return;
      }
      case 'create-community': {
        const c = demoCommunity(a.community);
        const { slug, name, description, visibility, joinPolicy, guidelines } = c;
        await createCommunity(svc, as(c.owner), {
          slug,
          name,
          description,
          visibility,
          joinPolicy,
          guidelines,
        });
        return;
      }
      case 'join':
        await join(svc, a.community, as(a.user), true);
        return;
      case 'invite':
        await invite(svc, a.community, as(a.by), a.user);
        return;
      case 'approve':
        await approve(svc, a.community, as(a.by), a.user);
        return;
      case 'make-moderator':
        await setRole(svc, a.community, as(a.by), a.user, 'moderator');
        return;
      case 'thread': {
        const t = await createThread(svc, a.community, as(a.by), {
          title: a.title,
          body: a.body,
          tags: a.tags,
        });
        threadIds.set(a.key, t.id);
        return;
      }
      case 'pin':
        await updateThread(svc, id(threadIds, a.thread), as(a.by), { pinned: true });
        return;
      case 'comment': {
        const parentId = a.parent ? id(commentIds, a.parent) : null;
        const c = await createComment(svc, id(threadIds, a.thread), as(a.by), { body: a.body, parentId });
        commentIds.set(a.key, c.id);
        return;
      }
      case 'react': {
        const target = id(a.target === 'thread' ? threadIds : commentIds, a.key);
        await react(svc, a.target, target, as(a.by), a.reaction);
        return;
      }
      case 'gamification-setup': {
        const setup = DEMO_GAMIFICATION[a.community]!;
        const owner = as(demoCommunity(a.community).owner);
        const community = await findCommunityBySlug(deps.db, a.community);
        if (setup.settings)
          await saveSettings(deps.db, community!.id, setup.settings, owner.userId, deps.clock.now());
        // Demo members have no reading history, so their trust levels stay at 0, below where
        // starting a direct message unlocks (1): the demo communities open it to every member.
        await saveModerationSettings(
          deps.db,
          community!.id,
          { unlocks: { directMessages: 0 } },
          owner.userId,
          deps.clock.now(),
        );
        for (const r of setup.rewards) {
          rewardIds.set(`${a.community}/${r.title}`, (await createReward(svc, a.community, owner, r)).id);
        }
        return;
      }
      case 'visit':
        await visit(svc, a.community, as(a.user));
        return;
      case 'accept':
        await acceptAnswer(svc, id(threadIds, a.thread), as(a.by), id(commentIds, a.comment));
        return;
      case 'grant-badge': {
        // Points and badges come from the outbox: let it catch up before acting on them.
        await deps.events.drain();
        const badge = (await listCommunityBadges(svc, a.community, as(a.by))).items.find(
          (b) => b.slug === a.badge,
        );
        await grantManually(svc, a.community, as(a.by), a.user, { badgeId: badge!.id, reason: a.reason });
        return;
      }
      case 'consent':
        // retentionDays is only echoed back in the answer, which the demo does not read.
        await putConsent({ ...svc, retentionDays: 0 }, as(a.user), a.granted);
        return;
      case 'read': {
        // What the web app's reader reports: the thread was opened, then read for `ms` until now.
        const threadId = id(threadIds, a.thread);
        await ingest(svc, as(a.user), { ip: '127.0.0.1', userAgent: 'hearth-demo' }, [
          { type: 'view', threadId },
          { type: 'read', threadId, ms: a.ms },
        ]);
        return;
      }
      case 'redeem':
        await deps.events.drain();
        await redeem(svc, a.community, as(a.by), id(rewardIds, `${a.community}/${a.reward}`));
        return;
    }
  };
}
