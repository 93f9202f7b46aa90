// Search cost per request, measured in-process (no HTTP client, no concurrency), so the figure
// is CPU time rather than queueing on a shared machine (issue 4: search p99 < 50 ms at 10
// connections means a search must cost a few ms).
//
//   node bench/search-cpu.mjs --sqlite FILE [--runs 20] [--words a,b,c] [--cases default|all]
//   node bench/search-cpu.mjs --url postgres://.../db [--runs 20] ...
//   --profile FILE   also writes a CPU profile of the timed requests only (not the start-up),
//                    for Chrome DevTools / speedscope
//
// FILE / the database: a *copy* of a bench data set (bench/feed-gen.mjs; the cache is
// HEARTH_BENCH_CACHE or bench/.cache): pending migrations run first, and it is written to.
// For each case (a query string, signed in as the bench member through the API token) it prints
// the median and p90 wall ms of a sequential request (app.inject), and the server process's CPU
// ms per request (process.cpuUsage, every thread of the process: for SQLite that is all of it),
// and for PostgreSQL on this machine the database's CPU ms per request too (the backends of this
// database, read from /proc: run it where PostgreSQL runs, as a user who may read them).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { cpuProfiler, timeCalls } from './lib/cpu.mjs';

register();
const root = path.resolve(import.meta.dirname, '..');
const { buildApp } = await import(pathToFileURL(path.join(root, 'packages/server/src/app.ts')).href);
const { createDb } = await import(pathToFileURL(path.join(root, 'packages/server/src/db/index.ts')).href);
const { GEN_VERSION } = await import('./feed-gen.mjs');

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const sqliteFile = opt('sqlite', null);
const databaseUrl = opt('url', null);
if (!sqliteFile === !databaseUrl) throw new Error('give --sqlite FILE or --url postgres://...');
const runs = Number(opt('runs', 20));

const db = createDb({ databaseUrl, sqliteFile });
const t0 = performance.now();
const app = await buildApp({ db, logger: false });
console.error(`started (migrations included) in ${Math.round(performance.now() - t0)} ms`);
const summary = await benchSummary();
const token = summary.token;

async function benchSummary() {
  // The data set's summary holds the bench member's API token.
  const fs = await import('node:fs');
  const cache = process.env.HEARTH_BENCH_CACHE || path.join(root, 'bench/.cache');
  const dialect = databaseUrl ? 'postgres' : 'sqlite';
  for (const f of fs
    .readdirSync(cache)
    .filter((f) => f.startsWith(`${dialect}-v${GEN_VERSION}-`) && f.endsWith('.json'))) {
    const s = JSON.parse(fs.readFileSync(path.join(cache, f), 'utf8'));
    const r = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${s.token}` } });
    if (r.statusCode === 200) return s;
  }
  throw new Error('no data set summary whose token works on this database');
}

const words = (opt('words', null) ?? 'place,really,here,back,because,made,nice,sound').split(',');
const cases = [...words.map((w) => `q=${w}`)];
if (opt('cases', 'default') === 'all')
  cases.push(
    'q=really%20nice',
    'q=plac',
    'q=zzzqqq',
    'q=place&sort=new',
    'q=place&type=comments',
    'q=place&type=communities',
    'q=member&type=members',
    'q=place&from=2020-01-01',
    `q=place&community=${summary.biggest}`,
    'q=place&tag=really',
    'q=place&author=u0000002',
  );

const headers = { authorization: `Bearer ${token}` };

const rows = [];
const profiles = [];
const profileFile = opt('profile', null);
const profiler = profileFile ? await cpuProfiler() : null;
for (const c of cases) {
  const url = `/api/v1/search?${c}`;
  let res;
  for (let i = 0; i < 3; i++) res = await app.inject({ url, headers });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const { profile, ...timing } = await timeCalls(() => app.inject({ url, headers }), runs, {
    db: databaseUrl ? db : null,
    profiler,
  });
  if (profile) profiles.push(profile);
  rows.push({ case: c, items: res.json().items.length, ...timing });
}
console.table(rows);
if (profileFile) {
  // One profile holding every case's timed requests (the cases' samples, one after the other).
  const [first, ...rest] = profiles;
  for (const p of rest) {
    const offset = Math.max(...first.nodes.map((n) => n.id));
    for (const n of p.nodes) {
      n.id += offset;
      if (n.children) n.children = n.children.map((c) => c + offset);
    }
    // Each profile's root becomes a child of the first one's root.
    first.nodes[0].children.push(p.nodes[0].id);
    first.nodes.push(...p.nodes);
    first.samples.push(...p.samples.map((s) => s + offset));
    first.timeDeltas.push(...p.timeDeltas);
    first.endTime += p.endTime - p.startTime;
  }
  (await import('node:fs')).writeFileSync(profileFile, JSON.stringify(first));
}
const mean = (k) => Math.round((rows.reduce((s, r) => s + r[k], 0) / rows.length) * 100) / 100;
console.log(`mean: median ${mean('medianMs')} ms, cpu ${mean('cpuMs')} ms per request`);
await app.close();
