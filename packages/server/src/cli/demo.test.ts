import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, type TestApp } from '../../test/harness.ts';
import { DAY, ManualClock } from '../platform/clock.ts';
import { DEMO_LOGIN, DEMO_PASSWORD, DemoClock, type DemoSummary, seedDemo } from './demo.ts';
import { DEMO_COMMUNITIES, planDemo } from './demo-plan.ts';

// The demo seeder on the dialect under test (DATABASE_URL), through the real app.
const NOW = Date.UTC(2026, 5, 1, 12);
const [PUBLIC_SLUGS, PRIVATE_SLUG] = [
  DEMO_COMMUNITIES.filter((c) => c.visibility === 'public').map((c) => c.slug),
  DEMO_COMMUNITIES.find((c) => c.visibility === 'private')!.slug,
];

describe('seedDemo', () => {
  let t: TestApp;
  let summary: DemoSummary;
  const log: string[] = [];
  const count = async (table: 'users' | 'communities' | 'threads' | 'comments' | 'reactions' | 'mentions') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    const clock = new DemoClock(new ManualClock(NOW));
    t = await createTestApp({ clock });
    summary = await seedDemo({ db: t.db, events: t.app.events, clock }, { log: (line) => log.push(line) });
  }, 120_000);
  afterAll(async () => t?.close());

  it('creates 3 communities, 30 members, threads, nested comments and reactions', async () => {
    expect(await count('communities')).toBe(3);
    expect(await count('users')).toBe(30);
    expect(summary).toMatchObject({
      members: 30,
      communities: 3,
      login: { username: DEMO_LOGIN, password: DEMO_PASSWORD },
    });
    expect(await count('threads')).toBe(summary.threads);
    expect(summary.threads).toBeGreaterThanOrEqual(24);
    expect(await count('comments')).toBe(summary.comments);
    expect(await count('reactions')).toBe(summary.reactions);
    const deepest = await t.db
      .selectFrom('comments')
      .select((eb) => eb.fn.max('depth').as('d'))
      .executeTakeFirstOrThrow();
    expect(Number(deepest.d)).toBeGreaterThanOrEqual(2);
    const replies = await t.db
      .selectFrom('comments')
      .select('id')
      .where('parent_id', 'is not', null)
      .execute();
    expect(replies.length).toBeGreaterThan(20);
    const kinds = await t.db.selectFrom('reactions').select('kind').distinct().execute();
    expect(kinds.length).toBeGreaterThanOrEqual(4);
    expect(log[0]).toMatch(
      /^Seeding demo: 30 members, 3 communities, \d+ threads, \d+ comments, \d+ reactions$/,
    );
  });

  it('gives members profiles, and each community an owner, a moderator and guidelines', async () => {
    const maya = await t.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', DEMO_LOGIN)
      .executeTakeFirstOrThrow();
    expect(maya.display_name).toBe('Maya Okafor');
    expect(maya.bio).not.toBe('');
    expect(await verify(maya.password_hash!, DEMO_PASSWORD)).toBe(true);
    for (const c of await t.db.selectFrom('communities').selectAll().execute()) {
      const roles = await t.db
        .selectFrom('memberships')
        .select(['role', 'status'])
        .where('community_id', '=', c.id)
        .execute();
      expect(roles.filter((r) => r.role === 'owner')).toHaveLength(1);
      expect(roles.filter((r) => r.role === 'moderator')).toHaveLength(1);
      expect(c.guidelines).not.toBe('');
      expect(c.member_count).toBe(roles.filter((r) => r.status === 'active').length);
    }
  });

  it('spreads activity over the past three weeks, none of it in the future', async () => {
    const span = await t.db
      .selectFrom('comments')
      .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
      .executeTakeFirstOrThrow();
    const users = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.min('created_at').as('first'))
      .executeTakeFirstOrThrow();
    expect(Number(users.first)).toBeGreaterThanOrEqual(NOW - 21 * DAY);
    expect(Number(span.last)).toBeLessThan(NOW);
    expect(Number(span.last) - Number(span.first)).toBeGreaterThan(10 * DAY);
    // The outbox saw the same (past) times as the services did.
    const outbox = await t.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('created_at').as('first'))
      .executeTakeFirstOrThrow();
    expect(Number(outbox.first)).toBeLessThan(NOW - 20 * DAY);
  });

  it('went through the services and events: counters, mentions, tags, pins, a drained outbox', async () => {
    const communities = await t.db.selectFrom('communities').select(['id', 'thread_count']).execute();
    for (const c of communities) {
      const n = await t.db.selectFrom('threads').select('id').where('community_id', '=', c.id).execute();
      expect(c.thread_count).toBe(n.length); // maintained by an event handler
    }
    expect(await count('mentions')).toBeGreaterThan(5);
    expect((await t.db.selectFrom('thread_tags').select('tag_id').execute()).length).toBeGreaterThan(20);
    expect((await t.db.selectFrom('threads').select('id').where('pinned', '=', 1).execute()).length).toBe(3);
    const pending = await t.db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute();
    expect(pending).toHaveLength(0);
    const html = await t.db
      .selectFrom('threads')
      .select('body_html')
      .where('body', 'like', '%**%')
      .executeTakeFirstOrThrow();
    expect(html.body_html).toContain('<strong>');
  });

  it('hides the private community and its threads from anonymous visitors', async () => {
    const call = api(t.app);
    const list = await call('GET', '/communities');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { slug: string }) => c.slug).sort()).toEqual([...PUBLIC_SLUGS].sort());
    expect((await call('GET', `/communities/${PRIVATE_SLUG}/threads`)).status).toBe(404);
    for (const slug of PUBLIC_SLUGS) {
      const threads = await call('GET', `/communities/${slug}/threads?sort=new`);
      expect(threads.status).toBe(200);
      expect(threads.body.items.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('lets the printed demo log-in sign in and see the private community', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: DEMO_LOGIN, password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const threads = await t.app.inject({
      method: 'GET',
      url: `/api/v1/communities/${PRIVATE_SLUG}/threads`,
      cookies,
    });
    expect(threads.statusCode).toBe(200);
    expect(threads.json().items.length).toBeGreaterThan(0);
  });

  it('gives members points, levels and badges from ordinary activity (issue 7)', async () => {
    const call = api(t.app);
    const board = await call('GET', '/communities/trail-runners/leaderboard?period=all');
    expect(board.status).toBe(200);
    expect(board.body.items.length).toBeGreaterThanOrEqual(10);
    const top = board.body.items[0];
    expect(top.points).toBeGreaterThan(20);
    // The community's own level names.
    expect(['Ridge runner', 'Summit', 'Ultra']).toContain(top.levelName);
    const levels = new Set(board.body.items.map((i: { levelName: string }) => i.levelName));
    expect(levels.size).toBeGreaterThanOrEqual(2);
    const badges = await t.db.selectFrom('member_badges').select(['badge_id', 'user_id']).execute();
    expect(badges.length).toBeGreaterThan(60);
    const kinds = await t.db
      .selectFrom('badges')
      .innerJoin('member_badges', 'member_badges.badge_id', 'badges.id')
      .select('badges.slug')
      .distinct()
      .execute();
    const slugs = kinds.map((k) => k.slug);
    for (const s of [
      'read-the-guidelines',
      'first-thread',
      'first-comment',
      'problem-solver',
      'week-streak',
      'community-hero',
    ])
      expect(slugs).toContain(s);
    const accepted = await t.db
      .selectFrom('threads')
      .select('id')
      .where('accepted_comment_id', 'is not', null)
      .execute();
    expect(accepted.length).toBeGreaterThanOrEqual(8);
    // Maya redeemed a van seat; the private community's board stays private.
    const seat = await t.db.selectFrom('reward_redemptions').select('points_spent').execute();
    expect(seat).toEqual([{ points_spent: 20 }]);
    expect((await call('GET', `/communities/${PRIVATE_SLUG}/leaderboard`)).status).toBe(404);
    expect(log.some((l) => /^Gamification: \d+ badges earned$/.test(l))).toBe(true);
  });

  it('records reading the way each member chose, and shows it on the dashboard (issue 8)', async () => {
    const consent = await t.db
      .selectFrom('analytics_consent')
      .innerJoin('users', 'users.id', 'analytics_consent.user_id')
      .select(['users.id', 'users.username', 'analytics_consent.granted'])
      .execute();
    const granted = new Set(consent.filter((c) => c.granted === 1).map((c) => c.id));
    expect(granted.size).toBeGreaterThan(10);
    expect(consent.some((c) => c.granted === 0)).toBe(true);
    // The suggested log-in has not answered: the consent question is what they see first.
    expect(consent.map((c) => c.username)).not.toContain(DEMO_LOGIN);
    const reading = await t.db.selectFrom('analytics_reading').select(['user_id', 'visitor', 'n']).execute();
    const own = reading.filter((r) => r.user_id !== null);
    const anonymous = reading.filter((r) => r.user_id === null);
    expect(own.length).toBeGreaterThan(20);
    expect(anonymous.length).toBeGreaterThan(5);
    // Reading is stored as a member's only with their consent; otherwise under the daily key alone.
    for (const r of own) {
      expect(granted.has(r.user_id!)).toBe(true);
      expect(r.visitor).toBeNull();
    }
    for (const r of anonymous) expect(r.visitor).toMatch(/\S/);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: DEMO_LOGIN, password: DEMO_PASSWORD },
    });
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const end = new Date(NOW - DAY).toISOString().slice(0, 10);
    const get = async (section: string) => {
      const res = await t.app.inject({
        url: `/api/v1/communities/trail-runners/analytics/${section}?period=week&end=${end}`,
        cookies,
      });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const overview = await get('overview');
    expect(overview.current.reading.minutes).toBeGreaterThan(30);
    expect(overview.current.reading.membersReading).toBeGreaterThanOrEqual(5);
    expect(overview.series.some((p: { readMinutes: number | null }) => (p.readMinutes ?? 0) > 0)).toBe(true);
    const content = await get('content');
    expect(content.threads.some((th: { readMinutes: number | null }) => (th.readMinutes ?? 0) > 0)).toBe(
      true,
    );
  });

  it('is deterministic', () => {
    expect(planDemo(NOW)).toEqual(planDemo(NOW));
    const { login: _, ...counts } = summary;
    expect(planDemo(NOW).counts).toEqual(counts);
  });
});
