// Home feed cost per request, measured in-process (no HTTP client, no concurrency), so the figure
// is CPU time rather than queueing on a shared machine (issue 4: feed p99 < 25 ms at 10
// connections on 2 cores means a first page must cost a couple of ms).
//
//   node bench/feed-cpu.mjs [--dialect sqlite,postgres] [--scale 10000,1000000] [--runs 50]
//                           [--limit 20] [--profile FILE]
//
// For each dialect and scale it takes a fresh working copy of the cached data set
// (bench/lib/data.mjs: HEARTH_BENCH_CACHE or bench/.cache; its ranks refreshed to now), starts
// the app on it (pending migrations run first) and, signed in as the bench member (50
// communities, follows, mutes, interests), times:
//   service  homeFeed() called directly: the feed's own queries and ranking
//   page 1   GET /api/v1/feed?limit=N through app.inject (auth, validation, serialization too)
//   page 2   the same with the first page's cursor
// printing the median and p90 wall ms of a sequential call, and the server process's CPU ms per
// call (process.cpuUsage: for SQLite that is all of it); for PostgreSQL on this machine also
// the database's CPU ms per call (its backends, read from /proc).
// PostgreSQL: DATABASE_URL is an admin URL (default postgres://postgres@127.0.0.1:5432/postgres).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuProfiler, timeCalls } from './lib/cpu.mjs';
import { ensureDataset, workingCopy } from './lib/data.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { buildApp } = await import(pathToFileURL(path.join(root, 'packages/server/src/app.ts')).href);
const { createDb } = await import(pathToFileURL(path.join(root, 'packages/server/src/db/index.ts')).href);
const { homeFeed } = await import(
  pathToFileURL(path.join(root, 'packages/server/src/modules/feed/feed.service.ts')).href
);

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const list = (s) => String(s).split(',').filter(Boolean);
const dialects = list(opt('dialect', 'sqlite,postgres'));
const scales = list(opt('scale', '10000,1000000')).map(Number);
const runs = Number(opt('runs', 50));
const limit = Number(opt('limit', 20));
const profileFile = opt('profile', null);
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const profiler = profileFile ? await cpuProfiler() : null;

const rows = [];
for (const dialect of dialects) {
  for (const threads of scales) {
    const summary = await ensureDataset({ dialect, threads, adminUrl });
    const copy = await workingCopy({ dialect, threads, adminUrl });
    const postgres = dialect === 'postgres';
    const db = createDb({
      databaseUrl: postgres ? copy.env.DATABASE_URL : null,
      sqliteFile: postgres ? undefined : path.join(copy.env.HEARTH_DATA_DIR, 'hearth.sqlite'),
    });
    const app = await buildApp({ db, logger: false });
    try {
      const headers = { authorization: `Bearer ${summary.token}` };
      const me = await app.inject({ url: '/api/v1/me', headers });
      if (me.statusCode !== 200) throw new Error(`/me: ${me.statusCode} ${me.body.slice(0, 200)}`);
      const viewer = { userId: me.json().id };
      const deps = { db: app.db, events: app.events, clock: app.clock };
      const first = await app.inject({ url: `/api/v1/feed?limit=${limit}`, headers });
      if (first.statusCode !== 200) throw new Error(`/feed: ${first.statusCode} ${first.body.slice(0, 200)}`);
      const cursor = first.json().nextCursor;
      const cases = [
        { name: 'service', call: () => homeFeed(deps, viewer, { limit }) },
        { name: 'page 1', call: () => app.inject({ url: `/api/v1/feed?limit=${limit}`, headers }) },
        ...(cursor
          ? [
              {
                name: 'page 2',
                call: () => app.inject({ url: `/api/v1/feed?limit=${limit}&cursor=${cursor}`, headers }),
              },
            ]
          : []),
      ];
      for (const c of cases) {
        for (let i = 0; i < 5; i++) await c.call(); // warm-up: JIT, statement caches, buffers
        const { profile, ...timing } = await timeCalls(c.call, runs, { db: postgres ? db : null, profiler });
        if (profile)
          fs.writeFileSync(
            `${profileFile}.${dialect}-${threads}-${c.name.replace(' ', '')}.cpuprofile`,
            JSON.stringify(profile),
          );
        rows.push({ dialect, threads, case: c.name, items: first.json().items.length, ...timing });
        console.error(JSON.stringify(rows[rows.length - 1]));
      }
    } finally {
      await app.close();
      await db.destroy();
      await copy.drop();
    }
  }
}
console.table(rows);
