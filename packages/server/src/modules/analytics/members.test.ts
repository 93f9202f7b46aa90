import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { DAY } from '../../platform/clock.ts';
import { importStackExchange } from '../importers/se.import.ts';
import { rebuildAll } from './analytics.cli.ts';
import { rebuildCommunity } from './rebuild.ts';

const WEEK = 7 * DAY;
const DATA = path.resolve(__dirname, '../../../../../../shared/data');
const hasConlang = fs.existsSync(path.join(DATA, 'se-conlang-meta', 'Posts.xml'));
if (!hasConlang) console.warn(`SKIPPING the analytics rebuild-on-import test: ${DATA} is absent`);

/** Rollup tables a rebuild recomputes, as comparable rows. */
async function snapshot(t: TestApp, communityId: number) {
  const rows = async (table: string, order: string[]) =>
    (
      await order
        .reduce(
          (qb, col) => qb.orderBy(col),
          (t.db as any).selectFrom(table).selectAll().where('community_id', '=', communityId),
        )
        .execute()
    ).map((r: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v]),
      ),
    );
  return {
    days: await rows('analytics_days', ['day']),
    members: await rows('analytics_members', ['user_id']),
    activity: await rows('analytics_member_activity', ['grain', 'bucket', 'user_id']),
    threads: await rows('analytics_threads', ['thread_id']),
    threadDays: await rows('analytics_thread_days', ['day', 'thread_id']),
    replies: await rows('analytics_replies', ['day', 'to_user_id', 'from_user_id']),
  };
}

describe('analytics over time: cohorts, at risk, newcomers, rebuild', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let cohort: TestUser[];
  let communityId: number;
  const start = Date.UTC(2026, 0, 5, 10); // a Monday

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(start);
    call = api(t.app);
    const users = await createUsers(t.app, 'tm_owner', 'tm_a', 'tm_b', 'tm_c', 'tm_d', 'tm_e', 'tm_f');
    owner = users[0];
    cohort = users.slice(1);
    const c = await call('POST', '/communities', { slug: 'tm-time', name: 'Time' }, owner);
    communityId = c.body.id;
    for (const u of cohort) expect((await call('POST', '/communities/tm-time/join', {}, u)).status).toBe(200);
    // Week 0: everyone posts. Week 1: a, b, c, d comment on a's thread. Weeks 2-4: only a and c.
    const th = await call(
      'POST',
      '/communities/tm-time/threads',
      { title: 'Start', body: 'Hello all' },
      cohort[0],
    );
    for (const u of cohort.slice(1)) await call('POST', `/threads/${th.body.id}/comments`, { body: 'hi' }, u);
    t.clock.advance(WEEK);
    for (const u of cohort.slice(0, 4))
      await call('POST', `/threads/${th.body.id}/comments`, { body: 'week 1' }, u);
    for (let w = 2; w <= 4; w++) {
      t.clock.advance(WEEK);
      for (const u of [cohort[0]!, cohort[2]!]) {
        await call('POST', `/threads/${th.body.id}/comments`, { body: `week ${w}` }, u);
      }
    }
    // Week 4: two newcomers; one gets a reply, the other does not.
    const [lonely, welcomed] = await createUsers(t.app, 'tm_lonely', 'tm_welcomed');
    for (const u of [lonely, welcomed]) await call('POST', '/communities/tm-time/join', {}, u);
    await call('POST', '/communities/tm-time/threads', { title: 'First post', body: 'Anyone?' }, lonely);
    const w = await call('POST', '/communities/tm-time/threads', { title: 'Hi', body: 'New here' }, welcomed);
    await call('POST', `/threads/${w.body.id}/comments`, { body: 'Welcome!' }, cohort[0]);
    await t.app.events.drain();
  });
  afterAll(async () => t?.close());

  const section = (name: string, q = 'period=week') =>
    call('GET', `/communities/tm-time/analytics/${name}?${q}`, undefined, owner).then((r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    });

  it('incremental rollups equal a rebuild from the content tables', async () => {
    // Mark the community as built so the dashboard does not rebuild before we compare.
    await t.db.insertInto('analytics_state').values({ community_id: communityId, rebuilt_at: 1 }).execute();
    const incremental = await snapshot(t, communityId);
    expect(incremental.days.length).toBeGreaterThan(3);
    await rebuildCommunity({ db: t.db, clock: t.clock }, communityId);
    expect(await snapshot(t, communityId)).toEqual(incremental);
  });

  it('weekly cohorts × weeks since joining, with the cohort under five suppressed', async () => {
    const r = await section('retention');
    const first = r.cohorts.find((c: { cohort: string }) => c.cohort === '2026-01-05');
    // Joined week 0: owner + six members = 7. Active: week 0 six, week 1 four, weeks 2-4 two.
    expect(first.size).toBe(7);
    expect(first.retained).toEqual([6, 4, 2, 2, 2]);
    expect(first.rates[1]).toBeCloseTo(4 / 7, 3);
    const last = r.cohorts.find((c: { cohort: string }) => c.cohort === '2026-02-02');
    expect(last).toMatchObject({ size: null, retained: [null] }); // two newcomers < k
  });

  it('lists members at risk and newcomers without a reply', async () => {
    // Ending a week after the newcomers joined: the first cohort joined over 30 days before.
    const m = await section('members', 'period=week&end=2026-02-08');
    // b and d were active in weeks 0 and 1, then quiet for weeks 2-4.
    expect(m.atRisk.map((x: { username: string }) => x.username).sort()).toEqual(['tm_b', 'tm_d']);
    expect(m.newcomersWithoutReply.map((x: { username: string }) => x.username)).toEqual(['tm_lonely']);
    expect(m.champions[0]).toMatchObject({ username: 'tm_a', distinctRepliers: 5 });
  });

  it('compares with the previous period and shows history at month grain', async () => {
    const o = await section('overview', 'period=week&end=2026-01-12');
    expect(o.current.comments).toBe(4);
    expect(o.previous.comments).toBe(5);
    expect(o.previous.threads).toBe(1);
    const months = await section('overview', 'period=month&end=2026-02-28&buckets=3');
    expect(months.series.map((p: { start: string }) => p.start)).toEqual([
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(months.series[1].threads + months.series[2].threads).toBe(3);
  });

  it('serves cached dashboard facts that follow every write (cached == computed afresh)', async () => {
    const queries = [
      ['overview', 'period=day&end=2026-02-02'],
      ['overview', 'period=week&end=2026-02-08'],
      ['overview', 'period=month&end=2026-02-08&buckets=3'],
      ['members', 'period=week&end=2026-02-08'],
      ['members', 'period=week&end=2026-02-15'],
    ] as const;
    const all = async () => {
      const out = [];
      for (const [name, q] of queries) out.push(await section(name, q));
      return out;
    };
    const expectFresh = async () => {
      await t.app.events.drain();
      const cached = await all();
      expect(await t.db.selectFrom('analytics_cache').selectAll().execute()).not.toEqual([]);
      await t.db.deleteFrom('analytics_cache').execute();
      expect(cached).toEqual(await all());
    };
    await all();
    const [a, b, c, d] = cohort as [TestUser, TestUser, TestUser, TestUser];
    // A comment by a member at risk (b), in the week after the first window: at risk, levels,
    // champions, active members of that day, week and month all change.
    t.clock.set(Date.UTC(2026, 1, 2, 12));
    const th = await call('POST', '/communities/tm-time/threads', { title: 'Back', body: 'Hello again' }, a);
    await all();
    const back = await call('POST', `/threads/${th.body.id}/comments`, { body: 'I am back' }, b);
    await expectFresh();
    // Replies to someone already a champion (a) and to someone who was not (b): cached champions
    // are updated in place.
    await call(
      'POST',
      `/threads/${th.body.id}/comments`,
      { body: 'Welcome back', parentId: back.body.id },
      c,
    );
    await call('POST', `/threads/${th.body.id}/comments`, { body: 'Good thread' }, d);
    await call('POST', `/threads/${th.body.id}/comments`, { body: 'Good thread again' }, d);
    await expectFresh();
    // Reading with consent (c): repeat visitors and levels change on c's first reading day only.
    await call('PUT', '/me/consent', { analytics: true }, c);
    const read = (ms: number, ageMs: number) =>
      call('POST', '/analytics/events', { events: [{ type: 'read', threadId: th.body.id, ms, ageMs }] }, c);
    expect((await read(20_000, 0)).status).toBe(200);
    await expectFresh();
    expect((await read(10_000, 60_000)).status).toBe(200);
    await expectFresh();
    t.clock.advance(DAY);
    expect((await read(10_000, 0)).status).toBe(200);
    await expectFresh();
    // One batch starting two reading days of one member (yesterday and today).
    await call('PUT', '/me/consent', { analytics: true }, a);
    const twoDays = await call(
      'POST',
      '/analytics/events',
      {
        events: [
          { type: 'read', threadId: th.body.id, ms: 5000, ageMs: 0 },
          { type: 'read', threadId: th.body.id, ms: 5000, ageMs: 13 * 3_600_000 },
        ],
      },
      a,
    );
    expect(twoDays.body.recordedAs).toBe('member');
    await expectFresh();
    // A late contribution (e, in week 2 of the first cohort): one more active week before the
    // quiet weeks of the window ending 2026-02-15, so e becomes a member at risk there.
    const now = t.clock.now();
    t.clock.set(Date.UTC(2026, 0, 21, 12));
    await call('POST', `/threads/${th.body.id}/comments`, { body: 'From the past' }, cohort[4]!);
    t.clock.set(now);
    await t.app.events.drain();
    const late = await section('members', 'period=week&end=2026-02-15');
    expect(late.atRisk.map((x: { username: string }) => x.username)).toContain('tm_e');
    await expectFresh();
    // A member leaving (d) is no longer at risk; withdrawing consent (c) forgets their reading.
    expect((await call('POST', '/communities/tm-time/leave', {}, d)).status).toBe(200);
    await expectFresh();
    await call('PUT', '/me/consent', { analytics: false }, c);
    await expectFresh();
  });

  it('keeps a dashboard opened lately warm for the next day (analytics.warm_dashboards)', async () => {
    await t.app.events.drain();
    await t.db.deleteFrom('analytics_cache').execute();
    // Nothing was opened since the cache was emptied: nothing to warm.
    expect(await t.app.jobs.runNow('analytics.warm_dashboards')).toEqual({ communities: 0 });
    expect(await t.db.selectFrom('analytics_cache').selectAll().execute()).toEqual([]);
    const today = () => Math.floor(t.clock.now() / DAY);
    const cachedDays = async (kind: string) =>
      (
        await t.db
          .selectFrom('analytics_cache')
          .select('key')
          .where('community_id', '=', communityId)
          .where('kind', '=', kind)
          .execute()
      ).map((r) => Number(r.key));
    await section('members', 'period=week');
    expect(await cachedDays('champions')).toEqual([today()]);
    // The next day: today's facts are not cached until the job (or a view) computes them.
    t.clock.advance(DAY);
    expect(await cachedDays('champions')).not.toContain(today());
    expect(await t.app.jobs.runNow('analytics.warm_dashboards')).toEqual({ communities: 1 });
    expect(await cachedDays('champions')).toContain(today());
    const warm = await section('members', 'period=week');
    const overview = await section('overview', 'period=month');
    await t.db.deleteFrom('analytics_cache').execute();
    expect(await section('members', 'period=week')).toEqual(warm);
    expect(await section('overview', 'period=month')).toEqual(overview);
  });

  it.skipIf(!hasConlang)(
    'rebuilds an imported community (no events) with its real dates',
    async () => {
      const s = await importStackExchange(
        { db: t.db, clock: t.clock },
        { dir: path.join(DATA, 'se-conlang-meta') },
      );
      const cid = s.community.id;
      await t.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', owner.id).execute();
      const first = await t.db
        .selectFrom('threads')
        .select((eb) => eb.fn.min('created_at').as('lo'))
        .where('community_id', '=', cid)
        .executeTakeFirstOrThrow();
      const firstMonth = new Date(Number(first.lo)).toISOString().slice(0, 7);
      const o = (
        await call(
          'GET',
          `/communities/${s.community.slug}/analytics/overview?period=month&end=2026-05-31&buckets=400`,
          undefined,
          owner,
        )
      ).body;
      expect(o.dataRange.first.slice(0, 7)).toBe(firstMonth);
      const total = o.series.reduce((a: number, p: { threads: number }) => a + p.threads, 0);
      expect(total).toBe(s.totals.threads);
      const comments = o.series.reduce((a: number, p: { comments: number }) => a + p.comments, 0);
      expect(comments).toBe(s.totals.answers + s.totals.comments);
      // Synthetic voter accounts are not people: never active members.
      const voters = await t.db
        .selectFrom('imported_accounts')
        .select('user_id')
        .where('kind', '=', 'voter')
        .execute();
      if (voters.length) {
        const rows = await t.db
          .selectFrom('analytics_member_activity')
          .select('user_id')
          .where(
            'user_id',
            'in',
            voters.map((v) => v.user_id),
          )
          .execute();
        expect(rows).toEqual([]);
      }
      // The CLI's rebuild (run at the end of `hearth import`) prints a progress line per phase off a terminal.
      const written: string[] = [];
      const lines = await rebuildAll({ db: t.db, clock: t.clock }, s.community.slug, {
        write: (x: string) => written.push(x),
      });
      expect(lines[0]).toMatch(
        new RegExp(`Rebuilt analytics of "${s.community.slug}" .*${s.totals.threads} threads`),
      );
      expect(written.join('')).toContain(`rebuilding ${s.community.slug}: comments...`);
      const members = (
        await call(
          'GET',
          `/communities/${s.community.slug}/analytics/members?period=month&end=${o.dataRange.last}`,
          undefined,
          owner,
        )
      ).body;
      expect(members.champions.length).toBeGreaterThan(0);
    },
    120_000,
  ); // an import of a real dump: minutes when the shared machine is loaded
});
