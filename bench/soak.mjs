// Soak: a mixed load against one real `hearth serve` for a while (default 10 minutes), server
// memory sampled every 10 s, a least-squares trend line through the samples after warm-up.
// Exits non-zero on any error or non-2xx answer, or when memory keeps growing.
//
//   node bench/soak.mjs [--minutes 10] [--dialect sqlite|postgres] [--threads 10000] [--sample 10]
//                       [--max-slope 1.0]   (MB per minute allowed after warm-up)
//
// The mix, all at once: anonymous thread pages and hot lists (cached), signed-in comment pages and
// home feeds (uncached), searches, comment posts with a mention (50/s), sign-ins (2/s).
// Results: bench/results/soak-latest.json. PostgreSQL: DATABASE_URL as for `npm run bench`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_PASSWORD } from './feed-gen.mjs';
import { startCluster } from './lib/cluster.mjs';
import { ensureDataset, workingCopy } from './lib/data.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const minutes = Number(opt('minutes', 10));
const dialect = opt('dialect', 'sqlite');
const threads = Number(opt('threads', 10_000));
const sampleSeconds = Number(opt('sample', 10));
const maxSlope = Number(opt('max-slope', 1.0));
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(import.meta.dirname, '..');
const duration = Math.round(minutes * 60);

const data = await ensureDataset({ dialect, threads, adminUrl });
const copy = await workingCopy({ dialect, threads, adminUrl });
const cluster = await startCluster({ processes: 1, env: copy.env });
const base = cluster.base;
const auth = { authorization: `Bearer ${data.token}` };
let n = 0;
let q = 0;
const loads = [
  {
    name: 'anonymous thread + comments',
    connections: 2,
    requests: [
      { method: 'GET', path: `/api/v1/threads/${data.pageThreadId}` },
      { method: 'GET', path: `/api/v1/threads/${data.pageThreadId}/comments?limit=20` },
      { method: 'GET', path: `/api/v1/communities/${data.biggest}/threads?sort=hot` },
    ],
  },
  {
    name: 'signed-in comments + feed',
    connections: 2,
    headers: auth,
    requests: [
      { method: 'GET', path: `/api/v1/threads/${data.pageThreadId}/comments?limit=20` },
      { method: 'GET', path: '/api/v1/feed' },
    ],
  },
  {
    name: 'search',
    connections: 1,
    headers: auth,
    overallRate: 20,
    requests: [
      {
        method: 'GET',
        setupRequest: (r) => ({
          ...r,
          path: `/api/v1/search?q=${encodeURIComponent(data.searchWords[q++ % data.searchWords.length])}`,
        }),
      },
    ],
  },
  {
    name: 'comment posts',
    connections: 2,
    overallRate: 50,
    headers: { ...auth, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: `/api/v1/threads/${data.pageThreadId}/comments`,
        setupRequest: (r) => ({ ...r, body: JSON.stringify({ body: `soak ${n++} @${data.mentionUser}` }) }),
      },
    ],
  },
  {
    name: 'sign-ins',
    connections: 1,
    overallRate: 2,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        body: JSON.stringify({ login: data.benchUser, password: BENCH_PASSWORD }),
      },
    ],
  },
];

const samples = [];
const t0 = Date.now();
const sample = () => {
  const s = {
    t: (Date.now() - t0) / 1000,
    rssMb: Math.round(cluster.rss() * 10) / 10,
    load: os.loadavg()[0],
  };
  samples.push(s);
  console.error(`  ${s.t.toFixed(0).padStart(4)} s  RSS ${s.rssMb} MB  load ${s.load.toFixed(2)}`);
};
sample();
const timer = setInterval(sample, sampleSeconds * 1000);
console.error(`soak: ${minutes} min on ${dialect}, ${threads} threads, memory every ${sampleSeconds} s`);
const results = await Promise.all(
  loads.map(
    (l) =>
      new Promise((resolve, reject) =>
        autocannon({ url: base, duration, ...l }, (err, r) =>
          err ? reject(err) : resolve({ name: l.name, r }),
        ),
      ),
  ),
);
clearInterval(timer);
sample();
await cluster.stop();
await copy.drop();

// Least squares through the samples after the first fifth (warm-up: JIT, caches, pools fill).
const steady = samples.filter((s) => s.t >= duration / 5);
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const mt = mean(steady.map((s) => s.t));
const mr = mean(steady.map((s) => s.rssMb));
const slopePerSec =
  steady.reduce((a, s) => a + (s.t - mt) * (s.rssMb - mr), 0) /
  steady.reduce((a, s) => a + (s.t - mt) ** 2, 0);
const slope = Number((slopePerSec * 60).toFixed(3)); // MB per minute
const per = results.map(({ name, r }) => ({
  name,
  requests: r.requests.total,
  rps: Math.round(r.requests.average),
  p99: r.latency.p99,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
}));
const errors = per.reduce((a, p) => a + p.errors + p.non2xx, 0);
const ok = errors === 0 && !(slope > maxSlope);
const out = {
  at: new Date().toISOString(),
  dialect,
  threads,
  minutes,
  slopeMbPerMin: slope,
  maxSlope,
  rssFirst: samples[0].rssMb,
  rssMax: Math.max(...samples.map((s) => s.rssMb)),
  rssLast: samples.at(-1).rssMb,
  errors,
  ok,
  loads: per,
  samples,
};
const file = path.join(root, 'bench/results/soak-latest.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
for (const p of per)
  console.log(
    `${p.name}: ${p.requests} requests, ${p.rps}/s, p99 ${p.p99} ms, errors ${p.errors}, non-2xx ${p.non2xx}`,
  );
console.log(
  `RSS ${out.rssFirst} → max ${out.rssMax} → ${out.rssLast} MB; trend after warm-up ${slope} MB/min (allowed ${maxSlope}); errors ${errors}: ${ok ? 'OK' : 'FAILED'}`,
);
process.exit(ok ? 0 : 1);
