// Analytics benchmark (issue 8). Usage:
//   node bench/analytics.mjs ingest [seconds] [connections]   POST /analytics/events against the real `hearth serve`
//   node bench/analytics.mjs dashboard [events]                dashboard queries on a generated community (default 10M events)
//   node bench/analytics.mjs                                    both
// Uses DATABASE_URL when set (PostgreSQL: a fresh database is created and dropped), else SQLite in a temp dir.
// With HEARTH_BENCH_CACHE set, the generated dashboard community is kept there (SQLite: a copy of the
// database file; PostgreSQL: a template database) and reused by later runs of the same size on the
// same UTC day (pending migrations run on the copy; rollups of communities analysed before a
// migration are summarised on first use, as in production).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { rng } from './lib/rng.mjs';

const mode = process.argv[2] ?? 'all';
const root = path.resolve(import.meta.dirname, '..');
const adminUrl = process.env.DATABASE_URL ?? null;
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const dialect = adminUrl ? 'PostgreSQL' : 'SQLite';

/** A fresh database: a temp SQLite dir, or a new PostgreSQL database. */
async function freshDb(tag, template = null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-bench-${tag}-`));
  if (!adminUrl)
    return { dir, databaseUrl: null, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  const name = `hearth_bench_${tag}_${process.pid}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await c.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dir,
    databaseUrl: url.toString(),
    name,
    drop: async () => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- ingestion
async function ingest(seconds, connections) {
  const db = await freshDb('ingest');
  const port = 3950 + Math.floor(Math.random() * 40);
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []),
      path.join(root, 'packages/server/bin/hearth.js'),
      'serve',
      '--no-demo',
      '--port',
      String(port),
    ],
    {
      env: {
        ...process.env,
        ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
        HEARTH_DATA_DIR: db.dir,
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
    body: JSON.stringify({ username: 'reader', email: 'r@example.test', password: 'long enough password' }),
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
  const threads = [];
  for (let i = 0; i < 100; i++) {
    threads.push(
      (await req('POST', '/api/v1/communities/bench/threads', { title: `T${i}`, body: 'b' }, auth)).json.id,
    );
  }
  await fetch(`${base}/api/v1/me/consent`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ analytics: true }),
  });
  // One batch = 100 back-to-back spans of 1 s over 100 threads (what a reader could really send).
  const batch = JSON.stringify({
    events: threads.map((threadId, i) => ({ type: 'read', threadId, ms: 1000, ageMs: i * 1000 })),
  });
  const check = await fetch(`${base}/api/v1/analytics/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: batch,
  });
  if (check.status !== 200)
    throw new Error(`ingestion refused the batch: ${check.status} ${await check.text()}`);
  const rows = [];
  for (const [label, headers] of [
    ['anonymous readers (daily key only)', {}],
    ['a member with consent (member rollups too)', auth],
  ]) {
    const r = await autocannon({
      url: `${base}/api/v1/analytics/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'bench', ...headers },
      body: batch,
      connections,
      duration: seconds,
    });
    rows.push({
      label,
      reqs: r.requests.average,
      events: r.requests.average * 100,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
    });
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  await db.drop();
  console.log(
    `\n### Ingestion · ${dialect} · ${new Date().toISOString()} · ${connections} connections · ${seconds} s each · load ${load()}\n`,
  );
  console.log('| batches of 100 events | req/s | events/s | p50 ms | p99 ms | errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.label} | ${Math.round(r.reqs)} | ${Math.round(r.events)} | ${r.p50} | ${r.p99} | ${r.errors} |`,
    );
}

// ---------------------------------------------------------------- dashboard

async function dashboard(totalEvents) {
  const { register } = await import('tsx/esm/api');
  register();
  const { buildApp } = await import('../packages/server/src/app.ts');
  const { createSession } = await import('../packages/server/src/platform/auth.ts');
  const { bucketsOfDay, weekOfDay } = await import('../packages/server/src/modules/analytics/periods.ts');
  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY);
  const cacheDir = process.env.HEARTH_BENCH_CACHE || null;
  const cacheKey = `analytics-v2-${totalEvents}-${today}`;
  const cacheFile = cacheDir && path.join(cacheDir, `${cacheKey}.sqlite`);
  const cacheMeta = cacheDir && path.join(cacheDir, `${cacheKey}-${adminUrl ? 'pg' : 'sqlite'}.json`);
  const cacheDb = `hearth_bench_cache_${totalEvents}_${today}`;
  let cached = null;
  if (cacheMeta && fs.existsSync(cacheMeta)) {
    if (adminUrl) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      const found = await c.query('select 1 from pg_database where datname = $1', [cacheDb]);
      await c.end();
      if (found.rows.length) cached = JSON.parse(fs.readFileSync(cacheMeta, 'utf8'));
    } else if (fs.existsSync(cacheFile)) cached = JSON.parse(fs.readFileSync(cacheMeta, 'utf8'));
  }
  const db0 = await freshDb('dash', cached && adminUrl ? cacheDb : null);
  if (cached && !adminUrl) fs.copyFileSync(cacheFile, path.join(db0.dir, 'hearth.sqlite'));
  const app = await buildApp({
    config: { dataDir: db0.dir, databaseUrl: db0.databaseUrl, logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  const db = app.db;
  const DAYS = 730;
  const first = today - DAYS + 1;
  const MEMBERS = 20_000;
  const THREADS = 20_000;
  const RETENTION = 90;
  const generate = async () => {
    const rand = rng(42);
    const t0 = Date.now();

    // People: Zipf-like activity (a few members do most), 60 % consent, joins spread over the two years.
    const weights = Array.from({ length: MEMBERS }, (_, i) => 1 / (i + 1) ** 0.8);
    const cum = [];
    let acc = 0;
    for (const w of weights) {
      acc += w;
      cum.push(acc);
    }
    const pick = () => {
      const x = rand() * acc;
      let lo = 0;
      let hi = MEMBERS - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const joinDay = Array.from({ length: MEMBERS }, () => first + Math.floor(rand() ** 1.5 * (DAYS - 7)));
    const consent = Array.from({ length: MEMBERS }, () => rand() < 0.6);

    const now = Date.now();
    const owner = await db
      .insertInto('users')
      .values({
        username: 'owner',
        email: 'owner@bench.test',
        password_hash: null,
        display_name: 'Owner',
        bio: '',
        avatar_url: null,
        is_admin: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const community = await db
      .insertInto('communities')
      .values({
        slug: 'big',
        name: 'Big',
        description: '',
        visibility: 'public',
        join_policy: 'open',
        guidelines: '',
        created_by: owner.id,
        member_count: MEMBERS,
        thread_count: THREADS,
        created_at: first * DAY,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cid = community.id;
    await db
      .insertInto('memberships')
      .values({
        community_id: cid,
        user_id: owner.id,
        role: 'owner',
        status: 'active',
        guidelines_accepted_at: null,
        invited_by: null,
        created_at: now,
        joined_at: now,
      })
      .execute();
    const userIds = [];
    for (let i = 0; i < MEMBERS; i += 1000) {
      const rows = [];
      for (let j = i; j < Math.min(MEMBERS, i + 1000); j++) {
        rows.push({
          username: `m${j}`,
          email: `m${j}@bench.test`,
          password_hash: null,
          display_name: `Member ${j}`,
          bio: '',
          avatar_url: null,
          is_admin: 0,
          created_at: joinDay[j] * DAY,
          updated_at: now,
        });
      }
      for (const r of await db.insertInto('users').values(rows).returning('id').execute()) userIds.push(r.id);
    }
    const threadAuthor = [];
    const threadDay = [];
    const threadIds = [];
    for (let i = 0; i < THREADS; i += 1000) {
      const rows = [];
      for (let j = i; j < Math.min(THREADS, i + 1000); j++) {
        const a = pick();
        const d = Math.max(joinDay[a], first + Math.floor((j / THREADS) * DAYS));
        threadAuthor.push(a);
        threadDay.push(d);
        rows.push({
          community_id: cid,
          author_id: userIds[a],
          title: `Thread ${j}`,
          body: 'x',
          body_html: '<p>x</p>',
          excerpt: 'x',
          score: 0,
          up_count: 0,
          down_count: 0,
          reaction_counts: '{}',
          comment_count: 0,
          hot_rank: 0,
          pinned: 0,
          locked: 0,
          created_at: d * DAY + 3_600_000,
        });
      }
      for (const r of await db.insertInto('threads').values(rows).returning('id').execute())
        threadIds.push(r.id);
    }

    // Events → rollups, aggregated in memory exactly as the ingestion and event handlers would add them.
    const days = new Map();
    const readDays = new Map();
    const activity = new Map();
    const threadDays = new Map();
    const replies = new Map();
    const tFacts = threadIds.map(() => ({ replies: 0, repliers: new Set(), first: null, depth: -1 }));
    const firstContribution = new Array(MEMBERS).fill(null);
    const readerDay = new Set();
    const raw = [];
    const rawOpen = new Map();
    let rawEvents = 0;
    const inc = (map, key, init, field, n = 1) => {
      let r = map.get(key);
      if (!r) {
        r = { ...init };
        map.set(key, r);
      }
      r[field] += n;
      return r;
    };
    const dayInit = {
      threads: 0,
      comments: 0,
      reactions: 0,
      new_members: 0,
      sentiment_n: 0,
      sentiment_sum: 0,
      positive: 0,
      negative: 0,
    };
    const actInit = { threads: 0, comments: 0, reactions: 0, replies_received: 0, read_ms: 0, views: 0 };
    const dayBuckets = new Map();
    for (let d = first - 7; d <= today + 1; d++)
      dayBuckets.set(
        d,
        bucketsOfDay(d).map(([g, b]) => `${g}|${b}|`),
      );
    const member = (u, day, field, n = 1) => {
      for (const prefix of dayBuckets.get(day)) inc(activity, prefix + u, actInit, field, n);
    };
    for (let t = 0; t < THREADS; t++) {
      inc(days, threadDay[t], dayInit, 'threads');
      member(threadAuthor[t], threadDay[t], 'threads');
      const a = threadAuthor[t];
      if (firstContribution[a] == null || threadDay[t] * DAY < firstContribution[a])
        firstContribution[a] = threadDay[t] * DAY;
    }
    for (let j = 0; j < MEMBERS; j++) inc(days, joinDay[j], dayInit, 'new_members');
    const events = totalEvents - THREADS;
    for (let e = 0; e < events; e++) {
      const u = pick();
      const day = joinDay[u] + Math.floor(rand() * (today - joinDay[u] + 1));
      // Threads read are mostly recent ones.
      const t = Math.min(
        THREADS - 1,
        Math.max(0, Math.floor(((day - first) / DAYS) * THREADS - rand() ** 3 * 2000)),
      );
      const k = rand();
      if (k < 0.82) {
        const read = k < 0.7;
        const ms = read ? 5000 + Math.floor(rand() * 115_000) : 0;
        const rd = inc(
          readDays,
          day,
          { views: 0, reads: 0, read_ms: 0, readers: 0 },
          read ? 'reads' : 'views',
        );
        rd.read_ms += ms;
        const td = inc(
          threadDays,
          `${day}|${t}`,
          { views: 0, reads: 0, read_ms: 0, readers: 0, comments: 0 },
          read ? 'reads' : 'views',
        );
        td.read_ms += ms;
        td.readers += read ? 1 : 0;
        const rk = `${u}|${day}`;
        if (!readerDay.has(rk)) {
          readerDay.add(rk);
          rd.readers++;
        }
        if (consent[u]) {
          member(u, day, 'read_ms', ms);
          if (!read) member(u, day, 'views');
        }
        if (day > today - RETENTION) {
          // Raw reading as the ingestion stores it: one row per reader's batch (up to 100 events) and day.
          const at = day * DAY + Math.floor(rand() * DAY);
          let b = rawOpen.get(`${u}|${day}`);
          if (!b || b.n === 100) {
            b = {
              community_id: cid,
              user_id: consent[u] ? userIds[u] : null,
              visitor: consent[u] ? null : `v${u}d${day}`,
              day,
              created_at: at,
              n: 0,
              events: [],
            };
            rawOpen.set(`${u}|${day}`, b);
            raw.push(b);
          }
          b.n++;
          b.created_at = Math.max(b.created_at, at);
          b.events.push([threadIds[t], ms, at]);
          rawEvents++;
        }
      } else if (k < 0.935) {
        const at = Math.max(day, threadDay[t]);
        inc(days, at, dayInit, 'comments');
        const dr = days.get(at);
        dr.sentiment_n++;
        const s = rand() - 0.35;
        dr.sentiment_sum += s;
        if (s > 0.1) dr.positive++;
        else if (s < -0.1) dr.negative++;
        member(u, at, 'comments');
        inc(
          threadDays,
          `${at}|${t}`,
          { views: 0, reads: 0, read_ms: 0, readers: 0, comments: 0 },
          'comments',
        );
        const to = rand() < 0.6 ? threadAuthor[t] : pick();
        if (to !== u) {
          inc(replies, `${at}|${to}|${u}`, { n: 0 }, 'n');
          member(to, at, 'replies_received');
        }
        const f = tFacts[t];
        f.replies++;
        f.depth = Math.max(f.depth, Math.floor(rand() * 4));
        if (u !== threadAuthor[t]) {
          f.repliers.add(u);
          const ms = at * DAY + Math.floor(rand() * DAY);
          if (f.first == null || ms < f.first) f.first = ms;
        }
        if (firstContribution[u] == null || at * DAY < firstContribution[u]) firstContribution[u] = at * DAY;
      } else {
        inc(days, day, dayInit, 'reactions');
        member(u, day, 'reactions');
      }
    }
    const genSeconds = (Date.now() - t0) / 1000;

    // Bulk load: one prepared statement in one transaction (SQLite), multi-row inserts (PostgreSQL).
    const sqlite = adminUrl
      ? null
      : new (await import('better-sqlite3')).default(path.join(db0.dir, 'hearth.sqlite'));
    const pgc = adminUrl ? new pg.Client({ connectionString: db0.databaseUrl }) : null;
    if (pgc) await pgc.connect();
    const insert = async (table, rows, per = 1000) => {
      if (rows.length === 0) return;
      const cols = Object.keys(rows[0]);
      if (sqlite) {
        const stmt = sqlite.prepare(
          `insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`,
        );
        sqlite.transaction(() => {
          for (const r of rows)
            stmt.run(...cols.map((c) => (typeof r[c] === 'boolean' ? Number(r[c]) : r[c])));
        })();
        return;
      }
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const values = [];
        const params = [];
        for (const r of chunk) {
          values.push(`(${cols.map((c) => `$${params.push(r[c])}`).join(',')})`);
        }
        await pgc.query(`insert into ${table} (${cols.join(',')}) values ${values.join(',')}`, params);
      }
    };
    const split = (key) => key.split('|').map(Number);
    await insert(
      'analytics_days',
      [...days].map(([day, r]) => ({ community_id: cid, day, ...r })),
    );
    await insert(
      'analytics_read_days',
      [...readDays].map(([day, r]) => ({ community_id: cid, day, ...r })),
    );
    await insert(
      'analytics_member_activity',
      [...activity].map(([k, r]) => {
        const [g, b, u] = k.split('|');
        return { community_id: cid, grain: g, bucket: Number(b), user_id: userIds[Number(u)], ...r };
      }),
    );
    await insert(
      'analytics_thread_days',
      [...threadDays].map(([k, r]) => {
        const [day, t] = split(k);
        return { community_id: cid, day, thread_id: threadIds[t], ...r };
      }),
    );
    await insert(
      'analytics_replies',
      [...replies].map(([k, r]) => {
        const [day, to, from] = split(k);
        return { community_id: cid, day, to_user_id: userIds[to], from_user_id: userIds[from], n: r.n };
      }),
    );
    await insert(
      'analytics_threads',
      threadIds.map((id, t) => ({
        thread_id: id,
        community_id: cid,
        author_id: userIds[threadAuthor[t]],
        created_at: threadDay[t] * DAY + 3_600_000,
        replies: tFacts[t].replies,
        repliers: tFacts[t].repliers.size,
        max_depth: tFacts[t].depth,
        first_response_at: tFacts[t].first,
        reactions: 0,
        deleted: 0,
      })),
    );
    await insert(
      'analytics_members',
      userIds.map((id, j) => ({
        community_id: cid,
        user_id: id,
        joined_at: joinDay[j] * DAY,
        join_week: weekOfDay(joinDay[j]),
        first_contribution_at: firstContribution[j],
        left_at: null,
      })),
    );
    await insert(
      'analytics_reading',
      raw.map((b) => ({ ...b, events: JSON.stringify(b.events) })),
      1000,
    );
    sqlite?.close();
    await pgc?.end();
    await db.insertInto('analytics_state').values({ community_id: cid, rebuilt_at: now }).execute();
    // PostgreSQL: vacuum too, as autovacuum would after a bulk load (index-only scans need the visibility map).
    if (adminUrl) await (await import('kysely')).sql`vacuum analyze`.execute(db);
    else await (await import('kysely')).sql`analyze`.execute(db);
    const loadSeconds = (Date.now() - t0) / 1000 - genSeconds;
    const sizes = {
      member_activity: activity.size,
      thread_days: threadDays.size,
      replies: replies.size,
      raw_events_in_retention: rawEvents,
      raw_reading_rows: raw.length,
    };
    return { cid, ownerId: owner.id, genSeconds, loadSeconds, sizes };
  };
  let meta = cached;
  if (!meta) {
    meta = await generate();
    if (cacheDir && !adminUrl) {
      await (await import('kysely')).sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
      fs.copyFileSync(path.join(db0.dir, 'hearth.sqlite'), cacheFile);
      fs.writeFileSync(cacheMeta, JSON.stringify(meta));
    }
  } else console.log(`reusing the generated community of ${cacheMeta}`);
  const { cid, genSeconds, loadSeconds, sizes } = meta;

  if (process.env.BENCH_QUERIES) {
    // Each main query alone (what the sections are made of), to find the slow one.
    const m = await import('../packages/server/src/modules/analytics/metrics.queries.ts');
    const wk = weekOfDay(today);
    const qs = {
      activeCountsDayMonth: () => m.activeCounts(db, cid, 'd', today - 30, today),
      activeCountsMonths: () => m.activeCounts(db, cid, 'm', 0, 1e9),
      activeCountsWeeks: () => m.activeCounts(db, cid, 'w', wk - 25, wk),
      memberReadingMonth: () => m.memberReading(db, cid, 'm', 0),
      repeatVisitorsMonth: () => m.repeatVisitors(db, cid, today - 30, today),
      activationMonth: () => m.activation(db, cid, (today - 30) * DAY, today * DAY),
      threadsStartedMonth: () => m.threadsStarted(db, cid, (today - 30) * DAY, today * DAY),
      contributionDays: () => m.contributionDays(db, cid, first, today),
      cohorts: () => m.cohorts(db, cid, wk - 11, wk, 11),
      topThreadsMonth: () => m.topThreads(db, cid, today - 30, today, 20),
      memberLove: () =>
        m.memberLove(db, cid, wk - 12, wk, wk - 3, { thread: 6, comment: 5, reaction: 2, readingWeek: 1 }),
      membersAt: () => m.membersAt(db, cid, Date.now()),
      champions: () => m.championCandidates(db, cid, today - 90, today),
      atRisk: () => m.atRiskCandidates(db, cid, wk, 3, 8, 2),
      newcomers: () => m.newcomersWithoutReply(db, cid, (today - 30) * DAY, (today + 1) * DAY, 20),
    };
    for (const [name, fn] of Object.entries(qs)) {
      const times = [];
      for (let i = 0; i < 8; i++) {
        const s = performance.now();
        await fn();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      console.log(`${name.padEnd(24)} median ${times[4].toFixed(1)} ms  max ${times[7].toFixed(1)} ms`);
    }
  }
  const session = await createSession(db, app.clock, meta.ownerId);
  const cases = [
    ['overview, period=day', '/analytics/overview?period=day'],
    ['overview, period=week (26 weeks)', '/analytics/overview?period=week'],
    ['overview, period=month (24 months)', '/analytics/overview?period=month'],
    ['retention (12 weekly cohorts)', '/analytics/retention?period=week'],
    ['content: top threads, week', '/analytics/content?period=week'],
    ['content: top threads, month', '/analytics/content?period=month'],
    ['members: levels, champions, at risk, newcomers', '/analytics/members?period=month'],
    ['export summary.csv, month', '/analytics/export?table=summary&period=month'],
  ];
  // The same requests with cached facts missing: after a write that drops the cached members at
  // risk (a listed member active again: other writes update the cache in place), and with the
  // community's cache empty (first use, after a rebuild, a consent withdrawal or an erasure).
  const q = await import('../packages/server/src/modules/analytics/analytics.queries.ts');
  const { WINDOW_WEEKS } = await import('../packages/server/src/modules/analytics/engagement.ts');
  const afterWrite = async () => {
    const w = weekOfDay(today);
    await q.invalidate(db, cid, [{ kind: 'at-risk', from: w, to: w + WINDOW_WEEKS - 1 }]);
  };
  const empty = () => q.clearCache(db, cid);
  for (const [label, url] of cases.filter(([l]) => /members/.test(l)))
    cases.push([`${label} — members at risk dropped`, url, afterWrite]);
  for (const [label, url] of cases.filter(([l]) => /overview, period=month|members: levels[^—]*$/.test(l)))
    cases.push([`${label} — cache empty`, url, empty]);
  const N = 40;
  const results = [];
  for (const [label, url, before] of cases) {
    const times = [];
    const cpu = [];
    for (let i = 0; i < N + 3; i++) {
      if (before) await before();
      const s = performance.now();
      const c0 = process.cpuUsage();
      const r = await app.inject({
        method: 'GET',
        url: `/api/v1/communities/big${url}`,
        cookies: { hearth_session: session.token },
      });
      const ms = performance.now() - s;
      const c = process.cpuUsage(c0);
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
      if (i >= 3) {
        times.push(ms);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    results.push({
      label,
      p50: times[Math.floor(N / 2)],
      p99: times[Math.ceil(N * 0.99) - 1],
      max: times[N - 1],
      cpu50: cpu[Math.floor(N / 2)],
      cpu99: cpu[Math.ceil(N * 0.99) - 1],
    });
  }
  await app.close();
  if (cacheDir && adminUrl && !cached) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${cacheDb} with (force)`);
    await c.query(`create database ${cacheDb} template ${db0.name}`);
    await c.end();
    fs.writeFileSync(cacheMeta, JSON.stringify(meta));
  }
  if (process.env.BENCH_KEEP) console.log(`kept ${db0.dir}`);
  else await db0.drop();
  console.log(`\n### Dashboard · ${dialect} · ${new Date().toISOString()} · load ${load()}\n`);
  console.log(
    `Generated ${totalEvents.toLocaleString('en')} events (${MEMBERS.toLocaleString('en')} members, ${THREADS.toLocaleString('en')} threads, ${DAYS} days) in ${genSeconds.toFixed(0)} s, loaded in ${loadSeconds.toFixed(0)} s; rollup rows: ${Object.entries(
      sizes,
    )
      .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
      .join(', ')}. ${N} requests per case (in-process, app.inject, after 3 warm-ups).\n`,
  );
  console.log('| dashboard request | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.label} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.cpu50.toFixed(1)} | ${r.cpu99.toFixed(1)} |`,
    );
}

if (mode === 'ingest' || mode === 'all')
  await ingest(Number(process.argv[3] ?? 10), Number(process.argv[4] ?? 10));
if (mode === 'dashboard' || mode === 'all')
  await dashboard(Number(process.argv[mode === 'all' ? 4 : 3] ?? 10_000_000));
