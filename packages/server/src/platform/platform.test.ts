import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness.ts';
import { migrateToLatest } from '../db/index.ts';
import { DAY } from './clock.ts';
import { anonymousKey, dropOldSalts, hasAnalyticsConsent, setAnalyticsConsent } from './consent.ts';
import { LocalPubSub, RedisPubSub } from './pubsub.ts';

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('pub/sub', () => {
  it('delivers in-process to subscribers of the channel only, until they unsubscribe', async () => {
    const ps = new LocalPubSub();
    const got: unknown[] = [];
    const off = ps.subscribe('thread:1', (m) => got.push(m));
    ps.subscribe('thread:2', () => got.push('wrong channel'));
    ps.publish('thread:1', { n: 1 });
    await tick();
    off();
    ps.publish('thread:1', { n: 2 });
    await tick();
    expect(got).toEqual([{ n: 1 }]);
  });

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  it('fans out across two Redis-backed instances, each delivering its own message once', async () => {
    const prefix = `hearth-test-${process.pid}-${Date.now()}:`;
    const a = new RedisPubSub(redisUrl, prefix);
    const b = new RedisPubSub(redisUrl, prefix);
    try {
      for (let i = 0; i < 100 && !(a.healthy && b.healthy); i++) await tick();
      expect(a.healthy && b.healthy).toBe(true);
      const atA: unknown[] = [];
      const atB: unknown[] = [];
      a.subscribe('c', (m) => atA.push(m));
      b.subscribe('c', (m) => atB.push(m));
      await tick();
      a.publish('c', 'from a');
      for (let i = 0; i < 100 && atB.length === 0; i++) await tick();
      expect(atA).toEqual(['from a']);
      expect(atB).toEqual(['from a']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps delivering locally when Redis is unreachable', async () => {
    const ps = new RedisPubSub('redis://127.0.0.1:1', `hearth-test-down:`);
    try {
      const got: unknown[] = [];
      ps.subscribe('c', (m) => got.push(m));
      ps.publish('c', 'local');
      await tick();
      expect(ps.healthy).toBe(false);
      expect(got).toEqual(['local']);
    } finally {
      await ps.close();
    }
  });
});

describe('consent and anonymous keys', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    await migrateToLatest(t.db);
    await t.db
      .insertInto('users')
      .values({
        username: 'consent_u',
        email: 'c@example.test',
        password_hash: null,
        display_name: 'C',
        bio: '',
        avatar_url: null,
        is_admin: 0,
        created_at: 0,
        updated_at: 0,
      })
      .execute();
  });
  afterAll(async () => t?.drop());

  it('is off by default, follows the latest choice and keeps the history', async () => {
    const user = await t.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    expect(await hasAnalyticsConsent(t.db, user.id)).toBe(false);
    expect(await hasAnalyticsConsent(t.db, null)).toBe(false);
    await t.db.transaction().execute((trx) => setAnalyticsConsent(trx, user.id, true, 1000));
    expect(await hasAnalyticsConsent(t.db, user.id)).toBe(true);
    await t.db.transaction().execute((trx) => setAnalyticsConsent(trx, user.id, false, 2000));
    expect(await hasAnalyticsConsent(t.db, user.id)).toBe(false);
    const history = await t.db
      .selectFrom('consent_history')
      .select(['granted', 'changed_at'])
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { granted: 1, changed_at: 1000 },
      { granted: 0, changed_at: 2000 },
    ]);
  });

  it('gives a key stable within a day, different the next day, and forgets old salts', async () => {
    const day0 = 20_000 * DAY + 3600_000;
    const k1 = await anonymousKey(t.db, 'user:1', day0);
    expect(await anonymousKey(t.db, 'user:1', day0 + 3600_000)).toBe(k1);
    expect(await anonymousKey(t.db, 'user:2', day0)).not.toBe(k1);
    expect(k1).not.toContain('user');
    const k2 = await anonymousKey(t.db, 'user:1', day0 + DAY);
    expect(k2).not.toBe(k1);
    expect(await dropOldSalts(t.db, day0 + 2 * DAY)).toBe(1);
    // The first day's salt is gone: the same subject on that day cannot be linked any more.
    expect(await anonymousKey(t.db, 'user:1', day0)).not.toBe(k1);
  });
});
