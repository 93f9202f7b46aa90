import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../../test/fixtures.ts';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { DAY } from '../../platform/clock.ts';
import { applyRetention } from './analytics.jobs.ts';

/**
 * Analytics end to end over HTTP: contributions become rollups through the outbox, reading
 * arrives through the one ingestion endpoint (as the member's only with consent), the
 * dashboard answers owners and moderators only, and the k = 5 rule suppresses small groups.
 */
describe('analytics: ingestion, consent, dashboard', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let mod: TestUser;
  let members: TestUser[];
  let outsider: TestUser;
  let threadId: number;
  let privateThreadId: number;

  const put = async (url: string, payload: unknown, user: TestUser) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1${url}`,
      headers: user.headers,
      payload: payload as object,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const read = (events: unknown[], user: TestUser | null, ua = 'test-agent') =>
    t.app
      .inject({
        method: 'POST',
        url: '/api/v1/analytics/events',
        headers: { ...(user?.headers ?? {}), 'user-agent': ua },
        payload: { events },
      })
      .then((r) => ({ status: r.statusCode, body: r.json() }));
  const overview = async (user: TestUser | null, query = 'period=week', slug = 'an-pub') => {
    await t.app.events.drain();
    return call('GET', `/communities/${slug}/analytics/overview?${query}`, undefined, user);
  };
  /** Raw reading events stored (one `analytics_reading` row holds a batch's events of a community and day). */
  const count = async (table: 'analytics_reading', where: (qb: any) => any = (qb) => qb) =>
    Number(
      (
        await where(
          t.db.selectFrom(table).select((eb) => eb.fn.coalesce(eb.fn.sum('n'), eb.lit(0)).as('n')),
        ).executeTakeFirst()
      )?.n ?? 0,
    );

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    const users = await createUsers(
      t.app,
      'an_owner',
      'an_mod',
      'an_m1',
      'an_m2',
      'an_m3',
      'an_m4',
      'an_m5',
      'an_m6',
      'an_out',
    );
    [owner, mod] = users;
    members = users.slice(2, 8);
    outsider = users[8]!;
    expect((await call('POST', '/communities', { slug: 'an-pub', name: 'Pub' }, owner)).status).toBe(201);
    expect(
      (await call('POST', '/communities', { slug: 'an-priv', name: 'Priv', visibility: 'private' }, owner))
        .status,
    ).toBe(201);
    for (const u of [mod, ...members]) {
      expect((await call('POST', '/communities/an-pub/join', {}, u)).status).toBe(200);
    }
    expect(
      (await call('PATCH', `/communities/an-pub/members/${mod.username}`, { role: 'moderator' }, owner))
        .status,
    ).toBe(200);
    const th = await call(
      'POST',
      '/communities/an-pub/threads',
      { title: 'Wonderful trails', body: 'I love these great trails' },
      members[0],
    );
    threadId = th.body.id;
    // Five distinct members reply; one of them twice, one reply nested.
    for (const u of members.slice(1)) {
      expect(
        (await call('POST', `/threads/${threadId}/comments`, { body: 'Agreed, happy to join' }, u)).status,
      ).toBe(201);
    }
    const c = await call(
      'POST',
      `/threads/${threadId}/comments`,
      { body: 'This is terrible and awful' },
      members[1],
    );
    expect(
      (await call('POST', `/threads/${threadId}/comments`, { body: 'Why?', parentId: c.body.id }, members[0]))
        .status,
    ).toBe(201);
    for (const u of members.slice(1, 4)) {
      expect((await call('POST', `/threads/${threadId}/reactions`, { kind: 'like' }, u)).status).toBe(200);
    }
    const pt = await call('POST', '/communities/an-priv/threads', { title: 'Secret', body: 'Hush' }, owner);
    privateThreadId = pt.body.id;
    await t.app.events.drain();
  });
  afterAll(async () => t?.close());

  it('answers owners and moderators only; outsiders of a private community get 404', async () => {
    expect((await overview(owner)).status).toBe(200);
    expect((await overview(mod)).status).toBe(200);
    expectError(await overview(members[0]!), 403, 'FORBIDDEN');
    expectError(await overview(outsider), 403, 'FORBIDDEN');
    expectError(await overview(null), 401, 'UNAUTHENTICATED');
    expectError(await overview(outsider, 'period=week', 'an-priv'), 404, 'COMMUNITY_NOT_FOUND');
    expectError(await overview(outsider, 'period=week', 'no-such'), 404, 'COMMUNITY_NOT_FOUND');
    expect((await overview(owner, 'period=week', 'an-priv')).status).toBe(200);
    const bad = await overview(owner, 'period=week&end=2026-02-30');
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'querystring.end' });
  });

  it('counts contributions, depth, first response, sentiment and active members', async () => {
    const o = (await overview(owner)).body;
    expect(o).toMatchObject({ period: 'week', start: '2026-06-01', end: '2026-06-07', k: 5 });
    const c = o.current;
    expect(c).toMatchObject({
      threads: 1,
      comments: 7,
      reactions: 3,
      unansweredThreads: 0,
      answeredThreads: 1,
    });
    // Owner, moderator, six members joined this week; the six members were active.
    expect(c.newMembers).toBe(8);
    expect(c.activeMembers).toBe(6);
    expect(c.repliesPerThread).toBe(7);
    expect(c.averageDepth).toBe(2); // a reply to a comment: depth 1 → two levels
    expect(c.medianFirstResponseMinutes).toBe(0); // the frozen clock: answered the same millisecond
    expect(c.reactionsPerContribution).toBe(0.38); // 3 reactions / 8 contributions, 2 decimals
    expect(c.sentiment.scored).toBe(8);
    expect(c.sentiment.positiveShare).toBeGreaterThan(0.5);
    expect(c.sentiment.negativeShare).toBeGreaterThan(0);
    expect(c.activation).toMatchObject({ joined: 8, activated: 6, rate: 0.75 });
    expect(o.previous.threads).toBe(0);
    expect(o.series).toHaveLength(26);
    expect(o.series.at(-1)).toMatchObject({ start: '2026-06-01', threads: 1, comments: 7, activeMembers: 6 });
  });

  it('stores reading as the member only with consent; otherwise under a daily key', async () => {
    const m = members[2]!;
    const anon = await read(
      [
        { type: 'view', threadId },
        { type: 'read', threadId, ms: 30_000 },
      ],
      m,
    );
    expect(anon).toMatchObject({ status: 200, body: { accepted: 2, recordedAs: 'anonymous' } });
    expect(await count('analytics_reading', (qb) => qb.where('user_id', '=', m.id))).toBe(0);
    const keyed = await t.db
      .selectFrom('analytics_reading')
      .selectAll()
      .where('user_id', 'is', null)
      .execute();
    expect(keyed.flatMap((b) => JSON.parse(b.events)).length).toBe(2);
    expect(keyed.every((e) => typeof e.visitor === 'string' && e.visitor.length >= 16)).toBe(true);
    const noReadingRows = await t.db
      .selectFrom('analytics_member_activity')
      .select('read_ms')
      .where('user_id', '=', m.id)
      .where('read_ms', '>', 0)
      .execute();
    expect(noReadingRows).toEqual([]);

    expect((await put('/me/consent', { analytics: true }, m)).body).toMatchObject({
      analytics: true,
      answered: true,
    });
    const mine = await read([{ type: 'read', threadId, ms: 45_000, ageMs: 1000 }], m);
    expect(mine.body.recordedAs).toBe('member');
    expect(await count('analytics_reading', (qb) => qb.where('user_id', '=', m.id))).toBe(1);
    const rows = await t.db
      .selectFrom('analytics_member_activity')
      .select(['grain', 'read_ms'])
      .where('user_id', '=', m.id)
      .where('read_ms', '>', 0)
      .execute();
    expect(rows.map((r) => [r.grain, Number(r.read_ms)]).sort()).toEqual([
      ['d', 45_000],
      ['m', 45_000],
      ['w', 45_000],
    ]);

    // Withdrawing forgets the reading stored as theirs; the anonymous counts stay.
    expect((await put('/me/consent', { analytics: false }, m)).body.analytics).toBe(false);
    await t.app.events.drain();
    expect(await count('analytics_reading', (qb) => qb.where('user_id', '=', m.id))).toBe(0);
    const left = await t.db
      .selectFrom('analytics_member_activity')
      .select('read_ms')
      .where('user_id', '=', m.id)
      .where('read_ms', '>', 0)
      .execute();
    expect(left).toEqual([]);
    const day = await t.db.selectFrom('analytics_read_days').selectAll().executeTakeFirstOrThrow();
    expect(Number(day.read_ms)).toBe(75_000);
  });

  it('accepts anonymous readers of public threads, never reads of threads the reader cannot see', async () => {
    expect((await read([{ type: 'read', threadId, ms: 10_000 }], null)).body.recordedAs).toBe('anonymous');
    const before = await count('analytics_reading');
    for (const who of [null, outsider, members[0]!]) {
      const r = await read(
        [
          { type: 'read', threadId, ms: 1000 },
          { type: 'read', threadId: privateThreadId, ms: 1000, ageMs: 5000 },
        ],
        who,
      );
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('THREAD_NOT_FOUND');
    }
    expect((await read([{ type: 'view', threadId: 2_000_000_000 }], null)).status).toBe(404);
    expect(await count('analytics_reading')).toBe(before);
    // A member of the private community may report reading it.
    expect((await read([{ type: 'read', threadId: privateThreadId, ms: 1000 }], owner)).status).toBe(200);
  });

  it('rejects impossible values, naming the event, and stores nothing', async () => {
    const before = await count('analytics_reading');
    const bad = async (events: unknown[], field: string) => {
      const r = await read(events, members[0]!);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.message).toContain(field);
    };
    await bad([{ type: 'read', threadId, ms: 10 * 60_000 }], 'ms');
    await bad([{ type: 'read', threadId, ms: 1000, ageMs: 3 * DAY }], 'ageMs');
    await bad([{ type: 'read', threadId, ms: -5 }], 'ms');
    await bad([{ type: 'view', threadId, ms: 500 }], 'body.events.0.ms');
    await bad([{ type: 'read', threadId }], 'body.events.0.ms');
    // Two minutes of reading that both end now: one person cannot read for 2 min in 1 min.
    await bad(
      [
        { type: 'read', threadId, ms: 60_000 },
        { type: 'read', threadId, ms: 60_000 },
      ],
      'overlaps',
    );
    await bad(
      Array.from({ length: 101 }, () => ({ type: 'view', threadId })),
      'events',
    );
    expect(await count('analytics_reading')).toBe(before);
    // Back-to-back spans are fine.
    const ok = await read(
      [
        { type: 'read', threadId, ms: 60_000, ageMs: 60_000 },
        { type: 'read', threadId, ms: 60_000 },
      ],
      members[0]!,
    );
    expect(ok.status).toBe(200);
  });

  it('suppresses reading figures until five reader-days, then shows them', async () => {
    const small = (await overview(owner, 'period=day')).body.current.reading;
    expect(small.minutes).toBeNull();
    for (let i = 0; i < 5; i++) await read([{ type: 'read', threadId, ms: 60_000 }], null, `browser-${i}`);
    const big = (await overview(owner, 'period=day')).body.current.reading;
    expect(big.minutes).toBeGreaterThan(5);
    expect(big.readersPerDay).toBeGreaterThanOrEqual(5);
    const top = (await call('GET', '/communities/an-pub/analytics/content?period=day', undefined, owner))
      .body;
    expect(top.threads[0]).toMatchObject({ id: threadId, distinctRepliers: 5, replies: 7 });
    expect(top.threads[0].readMinutes).toBeGreaterThan(5);
  });

  it('finds champions, levels and exports every table as CSV with formula cells neutralised', async () => {
    const m = (await call('GET', '/communities/an-pub/analytics/members?period=week', undefined, owner)).body;
    expect(m.champions[0]).toMatchObject({ username: members[0]!.username, distinctRepliers: 5 });
    // Eight members; every level below five members is suppressed (null), never a small number.
    for (const l of m.levels) expect(l.members === null || l.members === 0 || l.members >= 5).toBe(true);
    expect(m.levels.map((l: { name: string }) => l.name)).toEqual([
      'core',
      'active',
      'participant',
      'observer',
    ]);

    await call(
      'POST',
      '/communities/an-pub/threads',
      { title: '=HYPERLINK("http://x")', body: 'b' },
      members[3],
    );
    await t.app.events.drain();
    await read([{ type: 'view', threadId: threadId + 2 }], null).catch(() => {});
    for (const table of [
      'summary',
      'series',
      'retention',
      'top-threads',
      'levels',
      'champions',
      'at-risk',
      'newcomers',
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/communities/an-pub/analytics/export?table=${table}&period=week`,
        headers: owner.headers,
      });
      expect(res.statusCode, `${table}: ${res.body}`).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.headers['content-disposition']).toContain(`an-pub-${table}-week`);
      expect(res.body.split('\r\n')[0]!.length).toBeGreaterThan(3);
    }
    const top = await t.app.inject({
      method: 'GET',
      url: '/api/v1/communities/an-pub/analytics/export?table=top-threads&period=week',
      headers: owner.headers,
    });
    expect(top.body).toContain('Wonderful trails');
    expect(top.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const forbidden = await t.app.inject({
      method: 'GET',
      url: '/api/v1/communities/an-pub/analytics/export?table=summary&period=week',
      headers: members[0]!.headers,
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('keeps raw events for the retention period only; rollups stay', async () => {
    const n = await count('analytics_reading');
    expect(n).toBeGreaterThan(0);
    const later = t.clock.now() + 91 * DAY;
    const r = await applyRetention(t.db, later, 90);
    expect(r.events).toBe(n);
    expect(await count('analytics_reading')).toBe(0);
    const reading = await t.db.selectFrom('analytics_read_days').select('read_ms').execute();
    expect(reading.reduce((a, x) => a + Number(x.read_ms), 0)).toBeGreaterThan(0);
    expect(await t.db.selectFrom('analytics_visitors').selectAll().execute()).toEqual([]);
  });
});

describe('analytics: a rebuild while members post', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('never fails either side (no deadlock between the rebuild and the rollup handlers)', async () => {
    t = await createTestApp();
    const call = api(t.app);
    const [owner, ...members] = await createUsers(t.app, 'rb_owner', 'rb_a', 'rb_b', 'rb_c', 'rb_d', 'rb_e');
    await call('POST', '/communities', { slug: 'rb-live', name: 'Rebuilt live' }, owner!);
    for (const m of members) await call('POST', '/communities/rb-live/join', {}, m);
    const thread = await call(
      'POST',
      '/communities/rb-live/threads',
      { title: 'Busy', body: 'Here' },
      owner!,
    );
    await t.app.events.drain();
    // Rebuilds and writes at once; every write's handlers upsert the same day and member rows
    // that a rebuild deletes and writes again.
    const writes = members.flatMap((m, i) => [
      call('POST', `/threads/${thread.body.id}/comments`, { body: `busy ${i}` }, m),
      call('POST', `/threads/${thread.body.id}/reactions`, { kind: 'like' }, m),
    ]);
    const drains = members.map(() => t.app.events.drain());
    const rebuilds = [0, 1, 2].map(() => call('POST', '/communities/rb-live/analytics/rebuild', {}, owner!));
    const results = await Promise.all([...writes, ...rebuilds]);
    await Promise.all(drains);
    expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    await t.app.events.drain();
    const dead = await t.db.selectFrom('outbox').select('id').where('dead_at', 'is not', null).execute();
    expect(dead).toEqual([]);
    // What the rollups say is what the content says.
    const o = await call('GET', '/communities/rb-live/analytics/overview?period=week', undefined, owner!);
    expect(o.status).toBe(200);
    expect(o.body.current.comments).toBe(members.length);
    expect(o.body.current.reactions).toBe(members.length);
  });
});
