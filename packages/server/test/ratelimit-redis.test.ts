import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createTestDb, createUser, type TestDb } from './harness.ts';
import { freePort } from './process.ts';

/**
 * Rate limits are shared by every process when REDIS_URL is set: two apps on one database and
 * one Redis (a throwaway redis-server on a free port, so no other suite's keys are touched)
 * count a member's writes together.
 */
describe('rate limits shared through Redis', () => {
  let redis: ChildProcess | null = null;
  let testDb: TestDb | null = null;
  afterAll(async () => {
    redis?.kill('SIGKILL');
    await testDb?.drop();
  });

  it('counts writes made through either process against one budget', async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) => {
      let out = '';
      redis!.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Ready to accept connections')) resolve();
      });
    });
    testDb = await createTestDb();
    const config = {
      databaseUrl: null,
      redisUrl: `redis://127.0.0.1:${port}`,
      rateLimit: { authPerHour: 1000, writesPerMinute: 6 },
      automod: false,
    };
    const a = await buildApp({ db: testDb.db, logger: false, config });
    const b = await buildApp({ db: testDb.db, logger: false, config });
    try {
      await a.ready();
      await b.ready();
      const user = await createUser(a, 'rl_shared'); // 1 write (the token)
      const patch = (app: typeof a, i: number) =>
        app.inject({ method: 'PATCH', url: '/api/v1/me', headers: user.headers, payload: { bio: `b${i}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await patch(i % 2 ? b : a, i)).statusCode);
      // 6 per minute in all: the token write plus 5 edits pass, whichever process took them.
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 90_000);
});
