// HTTP benchmark: the real `hearth serve` (one process) against a bare Fastify
// ceiling serving the same JSON from memory. Usage: node bench/http.mjs [seconds] [connections]
// Uses DATABASE_URL when set (PostgreSQL), else SQLite in a temp dir. Prints a Markdown table.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
const port = 3900 + Math.floor(Math.random() * 50);
const base = `http://127.0.0.1:${port}`;

const server = spawn(
  process.execPath,
  [path.join(root, 'packages/server/bin/hearth.js'), 'serve', '--no-demo', '--port', String(port)],
  {
    env: {
      ...process.env,
      HEARTH_DATA_DIR: dir,
      HEARTH_LOG_LEVEL: 'warn',
      HEARTH_RATE_LIMIT_WRITES: '100000000',
      HEARTH_RATE_LIMIT_AUTH: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise((resolve) =>
  server.stdout.on('data', (d) => String(d).includes('Hearth is running') && resolve()),
);
const rss = () =>
  Number(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const idleRss = rss();

const req = async (method, url, body, headers = {}) => {
  const res = await fetch(base + url, {
    method,
    headers: { ...(body && { 'content-type': 'application/json' }), ...headers },
    body: body && JSON.stringify(body),
  });
  return { res, json: await res.json() };
};
const signup = await fetch(`${base}/api/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bencher', email: 'b@example.test', password: 'long enough password' }),
});
const cookies = signup.headers.getSetCookie().map((c) => c.split(';')[0]);
const csrf = cookies.find((c) => c.startsWith('hearth_csrf=')).split('=')[1];
const { json: tok } = await req(
  'POST',
  '/api/v1/me/tokens',
  { name: 'bench' },
  { cookie: cookies.join('; '), 'x-csrf-token': csrf },
);
const auth = { authorization: `Bearer ${tok.token}` };
await req('POST', '/api/v1/communities', { slug: 'bench', name: 'Bench' }, auth);
let threadId;
for (let i = 0; i < 50; i++) {
  const { json } = await req(
    'POST',
    '/api/v1/communities/bench/threads',
    { title: `Thread ${i}`, body: `Body of thread ${i} with **markdown** and #tag${i % 5}` },
    auth,
  );
  threadId ??= json.id;
}
for (let i = 0; i < 20; i++)
  await req(
    'POST',
    `/api/v1/threads/${threadId}/comments`,
    { body: `Comment ${i}: a reasonably long reply about trails, gear and pacing.` },
    auth,
  );
const threadJson = (await req('GET', `/api/v1/threads/${threadId}`)).json;
const commentsJson = (await req('GET', `/api/v1/threads/${threadId}/comments?limit=20`)).json;

// The ceiling: a bare Fastify handler returning the same JSON from memory.
const ceiling = Fastify({ logger: false });
const payload = JSON.stringify({ thread: threadJson, comments: commentsJson });
ceiling.get('/x', (_req, reply) => reply.type('application/json').send(payload));
await ceiling.listen({ port: port + 100, host: '127.0.0.1' });

const run = (opts) =>
  new Promise((resolve, reject) =>
    autocannon({ connections, duration: seconds, ...opts }, (err, r) => (err ? reject(err) : resolve(r))),
  );
const rows = [];
const measure = async (name, opts) => {
  const r = await run(opts);
  rows.push({
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    rss: rss(),
  });
};
await measure('ceiling: bare Fastify, same JSON', { url: `http://127.0.0.1:${port + 100}/x` });
await measure('GET /threads/{id}', { url: `${base}/api/v1/threads/${threadId}` });
await measure('GET /threads/{id}/comments (20)', {
  url: `${base}/api/v1/threads/${threadId}/comments?limit=20`,
});
await measure('GET /communities/{slug}/threads (hot)', {
  url: `${base}/api/v1/communities/bench/threads?sort=hot`,
});
let n = 0;
await measure('POST /threads/{id}/comments (mention)', {
  url: `${base}/api/v1/threads/${threadId}/comments`,
  method: 'POST',
  headers: { ...auth, 'content-type': 'application/json' },
  setupClient: (client) =>
    client.setBody(JSON.stringify({ body: `Bench comment ${n++} for @bencher #bench` })),
});
await ceiling.close();
server.kill('SIGTERM');

const ceilingRps = rows[0].rps;
console.log(
  `\n${new Date().toISOString()} · ${os.cpus().length} cores · ${Math.round(os.totalmem() / 2 ** 30)} GiB · ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'} · ${connections} connections · ${seconds} s each · idle RSS ${idleRss.toFixed(0)} MB\n`,
);
console.log(
  '| endpoint | req/s | vs ceiling | p50 ms | p99 ms | errors | RSS MB |\n|---|---:|---:|---:|---:|---:|---:|',
);
for (const r of rows)
  console.log(
    `| ${r.name} | ${Math.round(r.rps)} | ${((100 * r.rps) / ceilingRps).toFixed(0)}% | ${r.p50} | ${r.p99} | ${r.errors} | ${r.rss.toFixed(0)} |`,
  );
fs.rmSync(dir, { recursive: true, force: true });
