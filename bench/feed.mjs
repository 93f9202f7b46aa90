// Feed / ranking / search benchmark (issue 4). Generates N threads (bench/feed-gen.mjs),
// starts the real `hearth serve` on them and measures, with autocannon at C connections:
//   - GET /feed (first page) as the bench member (50 communities, follows, interests, mutes)
//   - GET /communities/{biggest}/threads?sort=hot (first page) in the biggest community
//   - GET /search?q=... rotating over a fixed mix of rare and common words
// Usage: node bench/feed.mjs [--threads 10000] [--seconds 10] [--connections 10] [--no-write] [--note text]
// SQLite in a temp dir by default; with DATABASE_URL=postgres://.../postgres a fresh database
// is created next to it and dropped afterwards. Appends a section to BENCHMARKS.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { generate } from './feed-gen.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const threads = Number(arg('threads', 10_000));
const seconds = Number(arg('seconds', 10));
const connections = Number(arg('connections', 10));
const write = !process.argv.includes('--no-write');
const note = arg('note', '');
const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-feedbench-'));
const port = 4100 + Math.floor(Math.random() * 200);
const base = `http://127.0.0.1:${port}`;

// A fresh PostgreSQL database next to the one DATABASE_URL names.
const adminUrl = process.env.DATABASE_URL || null;
let benchUrl = null;
if (adminUrl) {
  const name = `hearth_feedbench_${threads}_${process.pid}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${name}`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  benchUrl = u.toString();
}
const dialect = benchUrl ? 'PostgreSQL' : 'SQLite';
const sqliteFile = path.join(dir, 'hearth.sqlite');

console.error(`generating ${threads} threads on ${dialect}...`);
const data = await generate({ threads, databaseUrl: benchUrl, sqliteFile });
console.error(`generated in ${data.seconds.toFixed(1)} s`, { ...data, token: '…' });

const server = spawn(
  process.execPath,
  [path.join(root, 'packages/server/bin/hearth.js'), 'serve', '--no-demo', '--port', String(port)],
  {
    env: {
      ...process.env,
      ...(benchUrl ? { DATABASE_URL: benchUrl } : { DATABASE_URL: '' }),
      HEARTH_DATA_DIR: dir,
      HEARTH_LOG_LEVEL: 'warn',
      HEARTH_RATE_LIMIT_WRITES: '100000000',
      HEARTH_RATE_LIMIT_AUTH: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => String(d).includes('Hearth is running') && resolve());
  server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

const auth = { authorization: `Bearer ${data.token}` };
const get = async (url) => {
  const res = await fetch(base + url, { headers: auth });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
};
// Sanity: the endpoints answer what we think they answer.
const feed = await get('/api/v1/feed');
const hot = await get(`/api/v1/communities/${data.biggest}/threads?sort=hot`);
const queries = [
  'battery',
  'headset',
  'restaurant',
  'acting',
  'delicious',
  'customer service',
  'waste money',
  'sound quality',
  'plot',
  'screen',
  'movie',
  'great food',
];
const sample = await get(`/api/v1/search?q=${encodeURIComponent(queries[0])}`);
console.error(
  `feed page: ${feed.items.length} items, ${feed.items.filter((i) => i.reasons.length).length} with reasons;`,
  `hot page: ${hot.items.length}; search "${queries[0]}": ${sample.items.length}`,
);

const run = (opts) =>
  new Promise((resolve, reject) =>
    autocannon({ connections, duration: seconds, headers: auth, ...opts }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  );
let q = 0;
const endpoints = [
  ['GET /feed (first page, 50 communities)', { url: `${base}/api/v1/feed` }],
  [
    `GET /communities/{biggest}/threads?sort=hot`,
    { url: `${base}/api/v1/communities/${data.biggest}/threads?sort=hot` },
  ],
  [
    `GET /search?q= (${queries.length} queries, rare to common)`,
    {
      url: base,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/search?q=${encodeURIComponent(queries[q++ % queries.length])}`,
          }),
        },
      ],
    },
  ],
];
const rows = [];
for (const [name, opts] of endpoints) {
  await run({ ...opts, duration: 2 }); // warm-up
  const r = await run(opts);
  rows.push({
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  });
}
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));

let size = '';
if (benchUrl) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  const name = new URL(benchUrl).pathname.slice(1);
  const s = await c.query('select pg_database_size($1) as b', [name]);
  size = `${Math.round(Number(s.rows[0].b) / 2 ** 20)} MB`;
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
} else {
  size = `${Math.round(fs.statSync(sqliteFile).size / 2 ** 20)} MB`;
}
fs.rmSync(dir, { recursive: true, force: true });

const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ');
const header =
  `${dialect} · ${threads.toLocaleString('en')} threads, ${data.communities} communities, ` +
  `${data.users.toLocaleString('en')} members, ${data.comments.toLocaleString('en')} comments · database ${size} · ` +
  `${os.cpus().length} cores (nproc), ${Math.round(os.totalmem() / 2 ** 30)} GiB · ${connections} connections · ` +
  `${seconds} s each · ${new Date().toISOString()} · load average after the run ${load}`;
const table = [
  '| endpoint | req/s | p50 ms | p99 ms | errors |',
  '|---|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`),
].join('\n');
console.log(`\n${header}\n\n${table}\n`);
if (write) {
  const md = path.join(root, 'BENCHMARKS.md');
  fs.appendFileSync(md, `\n${header}${note ? ` · ${note}` : ''}\n\n${table}\n`);
  console.error('appended to BENCHMARKS.md');
}
