// `npm run bench`: the one benchmark entry point (issue 11 and the speed targets of issue 4).
//
//   npm run bench -- [--dialect sqlite,postgres] [--seconds 5] [--connections 10,100]
//                    [--scale 10000,100000,1000000] [--processes 1,2] [--quick] [--out FILE]
//                    [--only search,feed]   only these endpoints (keys as in endpoints() below)
//
// For each dialect it drives the real `hearth serve` on a generated data set (bench/feed-gen.mjs:
// 2,000 communities, Zipf-sized, power-law member activity) with autocannon on loopback:
//   - the full matrix at the first scale: every endpoint, at each connection count, with one
//     process and with two (`hearth serve --processes 2`);
//   - the scale curve: the read endpoints at every scale, one process, 10 connections;
//   - a ceiling in the same run: a bare Fastify handler returning the same JSON from memory.
// PostgreSQL: DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
// Data sets are generated once and cached (bench/.cache, and databases hearth_bench_v*_N);
// `npm run bench:data` makes them ahead of time. Results go to bench/results/latest.json
// (plus a dated copy); `node bench/report.mjs` turns them into Markdown and the SVG chart.

import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { BENCH_PASSWORD } from './feed-gen.mjs';
import { startCluster } from './lib/cluster.mjs';
import { ensureDataset, workingCopy } from './lib/data.mjs';

const root = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const list = (s) => String(s).split(',').filter(Boolean);
const quick = flag('quick');
const dialects = list(opt('dialect', 'sqlite,postgres'));
const seconds = Number(opt('seconds', quick ? 3 : 5));
const connectionsList = list(opt('connections', quick ? '10' : '10,100')).map(Number);
const scales = list(opt('scale', quick ? '10000' : '10000,100000,1000000')).map(Number);
const processesList = list(opt('processes', quick ? '1' : '1,2')).map(Number);
const dataOnly = flag('data-only');
const onlyKeys = opt('only', null) ? list(opt('only')) : null;
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const outFile = opt('out', path.join(root, 'bench/results/latest.json'));
const log = (...a) => console.error(...a);

if (dataOnly) {
  for (const dialect of dialects)
    for (const threads of scales) log(await ensureDataset({ dialect, threads, adminUrl, log }));
  process.exit(0);
}

// The esbuild bundle is what `npm start` runs (and what idle RSS is measured on).
execSync('npm run build -w @hearth/server', { cwd: root, stdio: 'inherit' });

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const load = () => os.loadavg().map((l) => l.toFixed(2));
const results = {
  startedAt: new Date().toISOString(),
  commit,
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  options: { dialects, seconds, connectionsList, scales, processesList },
  loadBefore: load(),
  ceiling: null,
  runs: [],
};

const run = (opts) =>
  new Promise((resolve, reject) =>
    autocannon({ duration: seconds, ...opts }, (err, r) => (err ? reject(err) : resolve(r))),
  );
const figures = (r) => ({
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
});

async function fetchJson(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The endpoints, as autocannon options; `reads` are the ones on the scale curve. */
function endpoints(base, data) {
  const auth = { authorization: `Bearer ${data.token}` };
  const json = { 'content-type': 'application/json' };
  let n = 0;
  let q = 0;
  const words = data.searchWords.slice(0, 8);
  return [
    {
      key: 'thread',
      name: 'GET /threads/{id} (anonymous)',
      read: true,
      opts: { url: `${base}/api/v1/threads/${data.pageThreadId}` },
    },
    {
      key: 'comments',
      name: 'GET /threads/{id}/comments, 20 (anonymous)',
      read: true,
      opts: { url: `${base}/api/v1/threads/${data.pageThreadId}/comments?limit=20` },
    },
    {
      key: 'comments_member',
      name: 'GET /threads/{id}/comments, 20 (signed in)',
      read: true,
      opts: { url: `${base}/api/v1/threads/${data.pageThreadId}/comments?limit=20`, headers: auth },
    },
    {
      key: 'hot',
      name: 'GET /communities/{biggest}/threads?sort=hot (anonymous)',
      read: true,
      opts: { url: `${base}/api/v1/communities/${data.biggest}/threads?sort=hot` },
    },
    {
      key: 'hot_member',
      name: 'GET /communities/{biggest}/threads?sort=hot (signed in)',
      read: true,
      opts: { url: `${base}/api/v1/communities/${data.biggest}/threads?sort=hot`, headers: auth },
    },
    {
      key: 'feed',
      name: 'GET /feed (member of 50 communities)',
      read: true,
      opts: { url: `${base}/api/v1/feed`, headers: auth },
    },
    {
      key: 'search',
      name: `GET /search?q= (${words.length} words, signed in)`,
      read: true,
      opts: {
        url: base,
        headers: auth,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/search?q=${encodeURIComponent(words[q++ % words.length])}`,
            }),
          },
        ],
      },
    },
    {
      key: 'comment_post',
      name: 'POST /threads/{id}/comments (mention, outbox)',
      opts: {
        url: `${base}/api/v1/threads/${data.pageThreadId}/comments`,
        method: 'POST',
        headers: { ...auth, ...json },
        setupClient: (client) =>
          client.setBody(
            JSON.stringify({ body: `Bench comment ${n++} for @${data.mentionUser} about **pacing**` }),
          ),
      },
    },
    {
      key: 'login',
      name: 'POST /auth/login (argon2id)',
      opts: {
        url: `${base}/api/v1/auth/login`,
        method: 'POST',
        headers: json,
        body: JSON.stringify({ login: data.benchUser, password: BENCH_PASSWORD }),
      },
    },
  ];
}

/** The ceiling: a bare Fastify handler returning the thread page's JSON from memory. */
async function measureCeiling(base, data, connections) {
  const thread = await fetchJson(`${base}/api/v1/threads/${data.pageThreadId}`);
  const comments = await fetchJson(`${base}/api/v1/threads/${data.pageThreadId}/comments?limit=20`);
  const payload = JSON.stringify(comments);
  const app = Fastify({ logger: false });
  app.get('/x', (_req, reply) => reply.type('application/json; charset=utf-8').send(payload));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address();
  await run({ url: `http://127.0.0.1:${port}/x`, connections, duration: 1 });
  const r = await run({ url: `http://127.0.0.1:${port}/x`, connections });
  await app.close();
  return { connections, bytes: payload.length, threadBytes: JSON.stringify(thread).length, ...figures(r) };
}

async function oneConfig({ dialect, threads, processes, connectionsList, only }) {
  const data = await ensureDataset({ dialect, threads, adminUrl, log });
  const copy = await workingCopy({ dialect, threads, adminUrl });
  const cluster = await startCluster({ processes, env: copy.env });
  await new Promise((r) => setTimeout(r, 1000));
  const idleRss = cluster.rss() / processes;
  log(
    `\n${dialect} · ${threads} threads · ${processes} process(es) · idle RSS ${idleRss.toFixed(0)} MB/process`,
  );
  // Sanity: every endpoint answers what we think before it is timed.
  for (const e of endpoints(cluster.base, data)) {
    if (only && !only.includes(e.key)) continue;
    if (e.key === 'login' || e.key === 'comment_post') continue;
    await fetchJson(
      e.opts.url === cluster.base ? `${cluster.base}/api/v1/search?q=${data.searchWords[0]}` : e.opts.url,
      {
        headers: e.opts.headers,
      },
    );
  }
  const rows = [];
  for (const connections of connectionsList) {
    if (!results.ceiling?.[connections]) {
      results.ceiling ??= {};
      results.ceiling[connections] = await measureCeiling(cluster.base, data, connections);
      log(`  ceiling @${connections}: ${results.ceiling[connections].rps} req/s`);
    }
    for (const e of endpoints(cluster.base, data)) {
      if (only && !only.includes(e.key)) continue;
      // Warm-up (JIT, caches, PostgreSQL buffers), then the timed run.
      if (e.read) await run({ ...e.opts, connections, duration: 1 });
      const r = await run({ ...e.opts, connections });
      const row = {
        key: e.key,
        name: e.name,
        connections,
        ...figures(r),
        rss: Math.round(cluster.rss() / processes),
        load: load(),
      };
      rows.push(row);
      log(
        `  ${e.name} @${connections}: ${row.rps} req/s p50 ${row.p50} p99 ${row.p99} errors ${row.errors} non2xx ${row.non2xx} rss ${row.rss}`,
      );
    }
  }
  await cluster.stop();
  await copy.drop();
  const entry = {
    dialect,
    threads,
    processes,
    idleRss: Math.round(idleRss),
    dbSizeMb: copy.sizeMb(),
    summary: { ...data, token: undefined },
    rows,
  };
  results.runs.push(entry);
  return entry;
}

const READS = ['thread', 'comments', 'hot', 'feed', 'search'];
for (const dialect of dialects) {
  const [first, ...rest] = scales;
  for (const processes of processesList)
    await oneConfig({ dialect, threads: first, processes, connectionsList, only: onlyKeys });
  for (const threads of rest)
    await oneConfig({
      dialect,
      threads,
      processes: 1,
      connectionsList: [10],
      only: onlyKeys ? READS.filter((k) => onlyKeys.includes(k)) : READS,
    });
}
results.finishedAt = new Date().toISOString();
results.loadAfter = load();
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
if (outFile.endsWith('latest.json'))
  fs.copyFileSync(
    outFile,
    outFile.replace(/latest\.json$/, `${results.startedAt.slice(0, 16).replace(/[:T]/g, '-')}.json`),
  );
log(`\nwrote ${outFile}`);
const { report } = await import('./report.mjs');
console.log(report(results));
