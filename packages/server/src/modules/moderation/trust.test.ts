import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialect } from '../../../test/harness.ts';
import { comment, createScene, fails, must, type Scene, thread } from './moderation.fixtures.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { writtenSinceQuery } from './trust.queries.ts';
import { computeLevel, meetsTl3, type TrustStats } from './trust.ts';

const DAY = 86_400_000;
const t = DEFAULT_SETTINGS.trust;
const zero: TrustStats = {
  threadsEntered: 0,
  postsRead: 0,
  msRead: 0,
  daysVisited: 0,
  likesGiven: 0,
  likesReceived: 0,
  repliesInThreads: 0,
  period: {
    daysVisited: 0,
    repliesInThreads: 0,
    threadsRead: 0,
    threadsCreated: 0,
    postsRead: 0,
    postsCreated: 0,
    likesGiven: 0,
    likesReceived: 0,
    likesReceivedDays: 0,
    likesReceivedUsers: 0,
    removedPosts: 0,
    sanctioned: false,
  },
};
const tl1: TrustStats = { ...zero, threadsEntered: 5, postsRead: 30, msRead: 10 * 60_000 };
const tl2: TrustStats = {
  ...tl1,
  threadsEntered: 20,
  postsRead: 100,
  msRead: 60 * 60_000,
  daysVisited: 15,
  likesGiven: 1,
  likesReceived: 1,
  repliesInThreads: 3,
};
const tl3: TrustStats = {
  ...tl2,
  threadsEntered: 200,
  postsRead: 500,
  period: {
    daysVisited: 50,
    repliesInThreads: 10,
    threadsRead: 25,
    threadsCreated: 100,
    postsRead: 250,
    postsCreated: 1000,
    likesGiven: 30,
    likesReceived: 20,
    likesReceivedDays: 7,
    likesReceivedUsers: 5,
    removedPosts: 0,
    sanctioned: false,
  },
};
const now = Date.UTC(2026, 5, 1);
const fresh = { level: 0, manualLevel: null, promotedAt: now };

describe("trust levels (Discourse's thresholds)", () => {
  it('rises one level at a time as each set of requirements is met', () => {
    expect(computeLevel(zero, t, fresh, now)).toBe(0);
    expect(computeLevel({ ...tl1, msRead: 10 * 60_000 - 1 }, t, fresh, now)).toBe(0);
    expect(computeLevel(tl1, t, fresh, now)).toBe(1);
    expect(computeLevel({ ...tl2, likesReceived: 0 }, t, fresh, now)).toBe(1);
    expect(computeLevel(tl2, t, fresh, now)).toBe(2);
    expect(computeLevel(tl3, t, fresh, now)).toBe(3);
    // TL3 reads 25% of what was written in the window, capped (500 threads, 20 000 posts).
    expect(meetsTl3({ ...tl3, period: { ...tl3.period, threadsCreated: 101 } }, t)).toBe(false);
    expect(meetsTl3({ ...tl3, period: { ...tl3.period, threadsRead: 500, threadsCreated: 10_000 } }, t)).toBe(
      true,
    );
    expect(meetsTl3({ ...tl3, period: { ...tl3.period, removedPosts: 6 } }, t)).toBe(false);
    expect(meetsTl3({ ...tl3, period: { ...tl3.period, sanctioned: true } }, t)).toBe(false);
  });

  it('never takes TL1 or TL2 back; TL3 is lost below 90% of a requirement after a 14-day grace', () => {
    expect(computeLevel(zero, t, { ...fresh, level: 2 }, now)).toBe(2);
    const wasTl3 = { level: 3, manualLevel: null, promotedAt: now - 20 * DAY };
    const at90 = { ...tl3, period: { ...tl3.period, daysVisited: 45 } };
    const below90 = { ...tl3, period: { ...tl3.period, daysVisited: 44 } };
    expect(computeLevel(at90, t, wasTl3, now)).toBe(3);
    expect(computeLevel(below90, t, wasTl3, now)).toBe(2);
    expect(computeLevel(below90, t, { ...wasTl3, promotedAt: now - 10 * DAY }, now)).toBe(3);
    // 90% of a newcomer's TL3 is not enough to become TL3 in the first place.
    expect(computeLevel(at90, t, { ...fresh, level: 2 }, now)).toBe(2);
  });

  it('lets a pinned level win (TL4 is only ever given by hand)', () => {
    expect(computeLevel(zero, t, { ...fresh, manualLevel: 4 }, now)).toBe(4);
    expect(computeLevel(tl3, t, { ...fresh, manualLevel: 1 }, now)).toBe(1);
  });
});

describe('trust levels from real activity', () => {
  let s: Scene;
  const threads: number[] = [];
  beforeAll(async () => {
    s = await createScene();
    for (let i = 0; i < 5; i++) {
      const th = await thread(s, s.bob, `Thread ${i}`, `Body ${i}`);
      for (let j = 0; j < 6; j++) await comment(s, s.carol, th.id, `Reply ${j}`);
      threads.push(th.id);
    }
  });
  afterAll(async () => s?.t.close());

  const trust = (who: string, viewer = s.mod) =>
    s.call('GET', `/communities/${s.slug}/members/${who}/trust`, undefined, viewer);

  it("counts the community's writing of the period (TL3) from its partial index, not a scan of every row", async () => {
    // Recomputed on every thread, comment and reaction: a scan of comments here made each write
    // cost more as every community's history grew.
    for (const table of ['threads', 'comments'] as const) {
      const compiled = writtenSinceQuery(s.t.db, table, s.communityId, 0).compile();
      const index = `${table}_community_visible`;
      if (dialect === 'sqlite') {
        const plan = await s.t.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
        );
        expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(
          new RegExp(`USING (COVERING )?INDEX ${index}\\b`),
        );
      } else {
        // Tiny tables make a sequential scan cheapest; forbidding it shows whether the index can
        // serve. And as a generic plan: the one a prepared statement runs after a few executions,
        // which knows no parameter values (a parameterized status could not match the index).
        await s.t.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
          await sql.raw(`prepare trust_written as ${compiled.sql}`).execute(trx);
          const args = compiled.parameters
            .map((p) => (typeof p === 'number' ? p : `'${String(p).replaceAll("'", "''")}'`))
            .join(', ');
          const plan = await sql<{
            'QUERY PLAN': string;
          }>`explain execute trust_written(${sql.raw(args)})`.execute(trx);
          await sql`deallocate trust_written`.execute(trx);
          const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(text).toContain(index);
          expect(text).not.toContain('Seq Scan');
        });
      }
      const counted = Number(
        (await writtenSinceQuery(s.t.db, table, s.communityId, 0).executeTakeFirst())?.n,
      );
      expect(counted).toBe(table === 'threads' ? 5 : 30);
    }
  });

  it('credits reading time no faster than the clock and posts no more than the thread has', async () => {
    const first = await must(
      s.call('POST', `/threads/${threads[0]}/read`, { ms: 600_000, postsRead: 500 }, s.alice),
    );
    expect(first.body).toEqual({ creditedMs: 120_000, postsRead: 7 });
    s.t.clock.advance(30_000);
    const second = await must(
      s.call('POST', `/threads/${threads[0]}/read`, { ms: 60_000, postsRead: 3 }, s.alice),
    );
    expect(second.body).toEqual({ creditedMs: 30_000, postsRead: 3 });
    const me = await must(trust(s.alice.username, s.alice));
    expect(me.body.stats).toMatchObject({
      threadsEntered: 1,
      postsRead: 7,
      msRead: 150_000,
      minutesRead: 2,
      daysVisited: 1,
    });
    await fails(
      s.call('POST', `/threads/${threads[0]}/read`, { ms: 1000, postsRead: 1 }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('reaches TL1 by reading: 5 threads entered, 30 posts read, 10 minutes', async () => {
    expect((await must(trust(s.alice.username))).body).toMatchObject({
      level: 0,
      unlocks: { maxLinksPerPost: 2, maxMentionsPerPost: 2, writeContextNotes: false, flagWeight: 1 },
    });
    for (const id of threads) {
      s.t.clock.advance(120_000);
      await must(s.call('POST', `/threads/${id}/read`, { ms: 120_000, postsRead: 7 }, s.alice));
    }
    const r = (await must(trust(s.alice.username))).body;
    expect(r.stats).toMatchObject({ threadsEntered: 5, postsRead: 35 });
    expect(r.level).toBe(1);
    expect(r.unlocks).toMatchObject({
      maxLinksPerPost: null,
      rateContextNotes: true,
      directMessages: true,
      flagWeight: 2,
    });
    // Others see the level, not the numbers behind it.
    expect((await must(trust(s.alice.username, s.bob))).body).toMatchObject({ level: 1, stats: null });
    const mine = await must(s.call('GET', '/me/trust', undefined, s.alice));
    expect(mine.body).toMatchObject({ items: [{ community: s.slug, level: 1 }], directMessages: true });
  });

  it('reaches TL2 with the community’s own (lower) thresholds: visits, likes, replies', async () => {
    await must(
      s.call(
        'PATCH',
        `/communities/${s.slug}/moderation/settings`,
        {
          trust: {
            tl2: { threadsEntered: 5, postsRead: 30, minutesRead: 10, daysVisited: 2, repliesInThreads: 1 },
          },
        },
        s.mod,
      ),
    );
    await must(s.call('POST', `/threads/${threads[1]}/reactions`, { kind: 'like' }, s.alice));
    await s.t.app.events.drain();
    expect((await must(trust(s.alice.username))).body.level).toBe(1);
    s.t.clock.advance(DAY);
    const mine = await comment(s, s.alice, threads[2]!, 'My first reply');
    await must(s.call('POST', `/comments/${mine.id}/reactions`, { kind: 'love' }, s.bob));
    await s.t.app.events.drain();
    const r = (await must(trust(s.alice.username))).body;
    expect(r.stats).toMatchObject({ daysVisited: 2, likesGiven: 1, likesReceived: 1, repliesInThreads: 1 });
    expect(r.level).toBe(2);
    expect(r.unlocks.writeContextNotes).toBe(true);
    const settings = await must(
      s.call('GET', `/communities/${s.slug}/moderation/settings`, undefined, s.mod),
    );
    expect(settings.body.trust.tl2).toMatchObject({ daysVisited: 2, likesGiven: 1 });
    await fails(
      s.call(
        'PATCH',
        `/communities/${s.slug}/moderation/settings`,
        { trust: { tl1: { postsRead: -1 } } },
        s.mod,
      ),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('lets owners pin a level (TL4) and hand it back to the computation', async () => {
    await fails(
      s.call('PATCH', `/communities/${s.slug}/members/${s.bob.username}/trust`, { level: 4 }, s.mod),
      403,
      'FORBIDDEN',
    );
    const pinned = await must(
      s.call('PATCH', `/communities/${s.slug}/members/${s.bob.username}/trust`, { level: 4 }, s.owner),
    );
    expect(pinned.body).toMatchObject({ level: 4, manual: true, unlocks: { flagWeight: 5 } });
    const back = await must(
      s.call('PATCH', `/communities/${s.slug}/members/${s.bob.username}/trust`, { level: null }, s.owner),
    );
    expect(back.body).toMatchObject({ manual: false });
    expect(back.body.level).toBeLessThan(3);
    await fails(trust(s.outsider.username), 404, 'USER_NOT_FOUND');
  });
});
