// Realtime benchmark against real `hearth serve` processes on loopback.
//   node bench/live.mjs [clients=10000] [subscribers=1000] [comments=30]
// 1. `clients` WebSocket connections held by one process: its RSS before and after.
// 2. `subscribers` of one thread; `comments` comments posted one after another: latency from
//    sending the POST to each subscriber receiving `comment.created` (p50/p99 over all deliveries).
// 3. With DATABASE_URL (PostgreSQL) and Redis (REDIS_URL, default redis://127.0.0.1:6379): a
//    second process on the same database; comments posted on A, subscribers on B.
// The load generator shares the machine's cores with the servers. Prints Markdown.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';

const [clients, subscribers, comments] = [10_000, 1000, 30].map((d, i) => Number(process.argv[2 + i] ?? d));
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'packages/server/bin/hearth.js');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `hearth-bench-${randomBytes(3).toString('hex')}:`;
const children = [];
const cleanups = [];

async function makeDatabase() {
  if (!process.env.DATABASE_URL) return null;
  const name = `hearth_bench_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function start(databaseUrl, withRedis) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-live-bench-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const port = 4100 + Math.floor(Math.random() * 800);
  const env = {
    ...process.env,
    HEARTH_DATA_DIR: dir,
    HEARTH_LOG_LEVEL: 'warn',
    HEARTH_RATE_LIMIT_WRITES: '100000000',
    HEARTH_RATE_LIMIT_AUTH: '100000',
    ...(withRedis ? { REDIS_URL: redisUrl, HEARTH_REDIS_PREFIX: prefix } : {}),
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [bin, 'serve', '--no-demo', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('Hearth is running') && resolve());
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, pid: child.pid };
}

const rssMb = (pid) =>
  Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;

async function json(base, method, url, body, token) {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: {
      ...(body && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body && JSON.stringify(body),
  });
  const out = await res.json();
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(out)}`);
  return out;
}

async function account(base, username) {
  const res = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.test`, password: 'long enough password' }),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = cookies.find((c) => c.startsWith('hearth_csrf=')).split('=')[1];
  const tok = await fetch(`${base}/api/v1/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf },
    body: JSON.stringify({ name: 'bench' }),
  });
  return (await tok.json()).token;
}

/** Opens `n` sockets, `concurrency` handshakes at a time; each optionally subscribes to a thread. */
async function openSockets(base, token, n, threadId, onEvent) {
  const url = `${base.replace('http', 'ws')}/api/v1/live`;
  const sockets = [];
  let next = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: { authorization: `Bearer ${token}` },
        perMessageDeflate: false,
      });
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const f = JSON.parse(raw);
        if (f.type === 'hello') {
          if (threadId == null) return resolve(ws);
          ws.send(JSON.stringify({ type: 'subscribe', topic: 'thread', id: threadId, ref: 's' }));
        } else if (f.type === 'subscribed') resolve(ws);
        else if (f.type === 'event') onEvent?.(f);
      });
    });
  const worker = async () => {
    while (next < n) {
      next++;
      sockets.push(await one());
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  return sockets;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Posts comments one by one; returns per-delivery latencies (ms) to `subscribers` sockets. */
async function fanOut(postBase, token, threadId, subBase, subToken) {
  const sent = new Map();
  const latencies = [];
  const posts = [];
  let waiting = null;
  const received = new Map();
  const sockets = await openSockets(subBase, subToken, subscribers, threadId, (f) => {
    if (f.kind !== 'comment.created') return;
    const t0 = sent.get(f.data.comment.body);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    const got = (received.get(f.data.comment.body) ?? 0) + 1;
    received.set(f.data.comment.body, got);
    if (got === subscribers && waiting) waiting();
  });
  for (let i = 0; i < comments; i++) {
    const body = `bench ${i} ${randomBytes(3).toString('hex')}`;
    const done = new Promise((resolve) => {
      waiting = resolve;
    });
    const t0 = performance.now();
    sent.set(body, t0);
    await json(postBase, 'POST', `/threads/${threadId}/comments`, { body }, token);
    posts.push(performance.now() - t0);
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const ws of sockets) ws.terminate();
  latencies.sort((a, b) => a - b);
  posts.sort((a, b) => a - b);
  return {
    post50: pct(posts, 50),
    deliveries: latencies.length,
    expected: comments * subscribers,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies[latencies.length - 1],
  };
}

try {
  const dbUrl = await makeDatabase();
  const dialect = dbUrl ? 'PostgreSQL' : 'SQLite';
  const a = await start(dbUrl, !!dbUrl);
  const token = await account(a.base, 'bench_author');
  await json(a.base, 'POST', '/communities', { slug: 'bench', name: 'Bench' }, token);
  const thread = await json(
    a.base,
    'POST',
    '/communities/bench/threads',
    { title: 'Live', body: 'x' },
    token,
  );
  const header = `${new Date().toISOString()} · ${os.cpus().length} cores · ${Math.round(os.totalmem() / 2 ** 30)} GiB · ${dialect} · load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
  console.log(`\n${header}\n`);

  // 1. Many idle connections on one process.
  const idle = rssMb(a.pid);
  const t0 = performance.now();
  const held = await openSockets(a.base, token, clients, null);
  const openSecs = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  const heldRss = rssMb(a.pid);
  console.log('| measure | value |\n|---|---:|');
  console.log(`| idle RSS | ${idle.toFixed(0)} MB |`);
  console.log(`| ${held.length} open WebSockets: RSS | ${heldRss.toFixed(0)} MB |`);
  console.log(`| per connection | ${(((heldRss - idle) * 1024) / held.length).toFixed(1)} KB |`);
  console.log(`| time to open them | ${openSecs.toFixed(1)} s |`);

  for (const ws of held) ws.terminate();
  await new Promise((r) => setTimeout(r, 2000));

  // 2. Fan-out to the subscribers of one thread, same process.
  const line = (label, r) =>
    console.log(
      `| ${label} (${r.deliveries}/${r.expected} deliveries) | p50 ${r.p50.toFixed(1)} ms · p99 ${r.p99.toFixed(1)} ms · max ${r.max.toFixed(1)} ms (the POST itself: p50 ${r.post50.toFixed(1)} ms) |`,
    );
  line(
    `comment → ${subscribers} subscribers, one process`,
    await fanOut(a.base, token, thread.id, a.base, token),
  );

  // 3. Two processes through Redis (PostgreSQL only).
  if (dbUrl) {
    const b = await start(dbUrl, true);
    line(
      `comment on A → ${subscribers} subscribers on B via Redis`,
      await fanOut(a.base, token, thread.id, b.base, token),
    );
  }
  console.log(
    `\nload after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c();
}
