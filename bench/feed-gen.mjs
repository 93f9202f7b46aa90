// Data generator for the feed / ranking / search benchmark (issue 4).
// Usage: node bench/feed-gen.mjs --threads 10000 [--communities 2000] [--data DIR]
//        (or DATABASE_URL=postgres://.../db for PostgreSQL; the database must exist and be empty)
// Writes N threads across C communities with realistic skew, straight into the database
// (after running the migrations), then runs the rank job once. Prints a JSON summary with
// the bench member's API token, a big community's slug and search words.
//
// Shape (seeded, deterministic):
//   communities  C (default 2000); thread share per community ~ Zipf(s=1): the biggest
//                holds ~12 % of all threads, half of them hold < 0.1 % each
//   members      max(2000, N/20) users; each joins 1 + Exp(mean 4) communities, Zipf-weighted
//   threads      N, evenly over the last 365 days, in time order (ids grow with time);
//                title and body are real sentences (UCI sentiment corpus in ../shared/data
//                when present, else a small built-in vocabulary); 0-3 tags of 300, Zipf
//   votes        score ~ Pareto (most threads 0-3, a few hundreds), ~12 % of votes down
//   comments     comment_count ~ geometric (mean 1.5) on the newest 30 days, 0.3 before;
//                the comments are real rows (search indexes them)
//   activity     power law inside each community: its k-th member writes ~1/(k+1)^1.1 of the
//                threads, comments and reactions
//   reactions    rows for the last 30 days (up to 10 per thread, by the same power law), plus
//                likes from the members the bench member follows
//   bench member in 50 communities (10 of the 20 biggest, 40 from the long tail), 5 interests,
//                follows 30 members and 3 tags, mutes 2 members, 1 community, 1 tag; has a
//                password (BENCH_PASSWORD) for the sign-in benchmark
//   thread page  a thread with 20 comments in the biggest public community of the bench member
//                (`pageThreadId`), where the benchmark also posts its comments
// Used by `npm run bench` (bench/run.mjs), which caches the data sets (bench/lib/data.mjs).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { register } from 'tsx/esm/api';
import { rng } from './lib/rng.mjs';

register();
const root = path.resolve(import.meta.dirname, '..');
const { createDb, migrateToLatest } = await import(
  pathToFileURL(path.join(root, 'packages/server/src/db/index.ts')).href
);
const { refreshHotRanks } = await import(
  pathToFileURL(path.join(root, 'packages/server/src/modules/content/content.ranking.ts')).href
);
const { hashPassword } = await import(
  pathToFileURL(path.join(root, 'packages/server/src/modules/accounts/accounts.service.ts')).href
);

/**
 * Brings a copy's stored ranks to now (content.hot_ranks, as the server runs it every 5 minutes):
 * the data set was ranked when it was generated, and a feed or hot list read hours later
 * against those ranks would walk stale values (threads that aged out still ranked, young
 * ones ranked as they were then).
 */
export async function refreshRanks({ databaseUrl = null, sqliteFile = null }) {
  const db = createDb({ databaseUrl, sqliteFile, poolSize: 1 });
  try {
    await migrateToLatest(db); // this branch's ranking code may need its own migrations
    return await refreshHotRanks(db, Date.now());
  } finally {
    await db.destroy();
  }
}

/** Bumped whenever the generated shape changes (cached data sets carry it in their name). */
export const GEN_VERSION = 2;
/** The bench member's password (sign-in benchmark); the account exists only in generated data. */
export const BENCH_PASSWORD = 'bench password, long enough';

const DAY = 86_400_000;

/** Sampler over ranks 0..n-1 with P(k) ∝ 1/(k+1)^s. */
function zipf(n, s, rand) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += 1 / (k + 1) ** s;
    cdf[k] = sum;
  }
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function sentences() {
  const dir = path.join(root, '..', 'shared', 'data', 'uci-sentiment-labelled-sentences');
  const out = [];
  if (fs.existsSync(dir)) {
    for (const f of ['amazon_cells_labelled.txt', 'imdb_labelled.txt', 'yelp_labelled.txt']) {
      const p = path.join(dir, f);
      if (!fs.existsSync(p)) continue;
      for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
        const s = line.split('\t')[0]?.trim();
        if (s && s.length > 10) out.push(s.slice(0, 200));
      }
    }
  }
  if (out.length) return out;
  console.error('(../shared/data absent: using a built-in vocabulary)');
  const words =
    'gravel bike ride wheel chain tyre brake saddle climb descent route trail run race pace coffee bread sourdough kiln clay glaze pottery garden seed compost tomato camera lens film photo chess opening endgame guitar chord song'.split(
      ' ',
    );
  const r = rng(7);
  for (let i = 0; i < 3000; i++)
    out.push(
      Array.from({ length: 6 + Math.floor(r() * 10) }, () => words[Math.floor(r() * words.length)]).join(' '),
    );
  return out;
}

const STOP = new Set(
  'the and this that with have was for are but not you all they very one just its had has were from would there their what out about them been more when will than then some could after which only your also good great'.split(
    ' ',
  ),
);

export async function generate({ threads: N, communities: C = 2000, databaseUrl = null, sqliteFile = null }) {
  const t0 = Date.now();
  const rand = rng(42);
  const db = createDb({ databaseUrl, sqliteFile, poolSize: 4 });
  await migrateToLatest(db);
  const now = Date.now();
  const text = sentences();
  const sentence = () => text[Math.floor(rand() * text.length)];
  // Tags: the 300 most frequent content words of the corpus.
  const freq = new Map();
  for (const s of text)
    for (const w of s.toLowerCase().match(/[a-z]{4,20}/g) ?? [])
      if (!STOP.has(w)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const tagNames = [...freq.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 300)
    .map(([w]) => w);
  const searchWords = tagNames.slice(5, 40).filter((_, i) => i % 3 === 0);

  const batch = async (table, rows, size = 500) => {
    for (let i = 0; i < rows.length; i += size)
      await db
        .insertInto(table)
        .values(rows.slice(i, i + size))
        .execute();
  };

  // Users (password-less: created for the benchmark only).
  const U = Math.max(2000, Math.floor(N / 20));
  const users = [];
  for (let i = 1; i <= U + 1; i++) {
    const username = i === 1 ? 'bench' : `u${String(i).padStart(7, '0')}`;
    users.push({
      username,
      email: `${username}@bench.invalid`,
      password_hash: null,
      display_name: i === 1 ? 'Bench Member' : `Member ${i}`,
      bio: i % 5 === 0 ? sentence() : '',
      avatar_url: null,
      is_admin: 0,
      created_at: now - 400 * DAY + i,
      updated_at: now - 400 * DAY + i,
    });
  }
  users[0].password_hash = await hashPassword(BENCH_PASSWORD);
  await batch('users', users);
  const userIds = (await db.selectFrom('users').select(['id', 'username']).orderBy('id').execute()).map(
    (r) => r.id,
  );
  const benchId = userIds[0];
  const tagRows = tagNames.map((name) => ({ name, created_at: now - 400 * DAY }));
  await batch('tags', tagRows);
  const tagIdByName = new Map(
    (await db.selectFrom('tags').select(['id', 'name']).execute()).map((r) => [r.name, r.id]),
  );
  const tagIds = tagNames.map((n) => tagIdByName.get(n));

  // Communities: rank 0 is the biggest.
  const communities = [];
  for (let i = 0; i < C; i++) {
    const word = tagNames[i % tagNames.length];
    communities.push({
      slug: `${word}-${i}`,
      name: `${word[0].toUpperCase()}${word.slice(1)} ${i}`,
      description: sentence(),
      visibility: i % 25 === 24 ? 'private' : 'public',
      join_policy: i % 25 === 24 ? 'invite' : 'open',
      guidelines: '',
      created_by: userIds[1 + (i % (userIds.length - 1))],
      member_count: 0,
      thread_count: 0,
      created_at: now - 400 * DAY,
      updated_at: now - 400 * DAY,
    });
  }
  await batch('communities', communities);
  const communityIds = (await db.selectFrom('communities').select('id').orderBy('id').execute()).map(
    (r) => r.id,
  );

  // Memberships.
  const pickCommunity = zipf(C, 1.0, rand);
  const memberships = new Map(); // "c:u" -> row
  const addMember = (ci, uid, role = 'member') => {
    const key = `${ci}:${uid}`;
    if (memberships.has(key)) return;
    memberships.set(key, {
      community_id: communityIds[ci],
      user_id: uid,
      role,
      status: 'active',
      guidelines_accepted_at: null,
      invited_by: null,
      created_at: now - 390 * DAY,
      joined_at: now - 390 * DAY,
    });
  };
  communities.forEach((c, ci) => {
    addMember(ci, c.created_by, 'owner');
  });
  for (const uid of userIds.slice(1)) {
    const k = 1 + Math.min(30, Math.floor(-Math.log(1 - rand()) * 4));
    for (let j = 0; j < k; j++) addMember(pickCommunity(), uid);
  }
  // The bench member: 10 of the 20 biggest communities, 40 from the long tail.
  const benchCommunities = new Set();
  while (benchCommunities.size < 10) benchCommunities.add(Math.floor(rand() * 20));
  while (benchCommunities.size < 50) benchCommunities.add(20 + Math.floor(rand() * (C - 20)));
  for (const ci of benchCommunities) addMember(ci, benchId);
  const membersOf = new Map();
  for (const m of memberships.values()) {
    const list = membersOf.get(m.community_id) ?? [];
    list.push(m.user_id);
    membersOf.set(m.community_id, list);
  }
  await batch('memberships', [...memberships.values()]);
  // Power-law activity: within a community, member k writes ~1/(k+1)^1.1 of its posts.
  const pickers = new Map();
  const pickMember = (cid) => {
    let p = pickers.get(cid);
    if (!p) {
      const list = membersOf.get(cid);
      const z = zipf(list.length, 1.1, rand);
      p = () => list[z()];
      pickers.set(cid, p);
    }
    return p();
  };
  const reactionRows = new Map();

  // Threads, in time order; comments and tags alongside.
  const pickTag = zipf(tagIds.length, 1.0, rand);
  const span = 365 * DAY;
  const threadCount = new Map();
  let commentsTotal = 0;
  const CHUNK = 2000;
  for (let start = 0; start < N; start += CHUNK) {
    const rows = [];
    const meta = [];
    for (let i = start; i < Math.min(N, start + CHUNK); i++) {
      const ci = pickCommunity();
      const cid = communityIds[ci];
      const members = membersOf.get(cid);
      const author = pickMember(cid);
      const created = now - span + Math.floor(((i + rand()) / N) * span) - 60_000;
      const votes = Math.floor(1 / (1 - rand()) ** 0.9) - 1; // Pareto: mostly 0-3
      const down = Math.floor(votes * 0.12 * rand() * 2);
      const recent = now - created < 30 * DAY;
      const comments = Math.min(200, Math.floor(-Math.log(1 - rand()) * (recent ? 1.5 : 0.3)));
      const title = sentence().slice(0, 120);
      const body = [sentence(), sentence(), sentence()].join(' ');
      rows.push({
        community_id: cid,
        author_id: author,
        title,
        body,
        body_html: `<p>${body.replace(/[<>&]/g, '')}</p>`,
        excerpt: body.slice(0, 280),
        score: votes - 2 * down,
        up_count: votes - down,
        down_count: down,
        reaction_counts: JSON.stringify({ like: votes - down, downvote: down }),
        comment_count: comments,
        hot_rank: 0,
        pinned: 0,
        locked: 0,
        created_at: created,
        last_comment_at: comments ? created + 3_600_000 : null,
      });
      meta.push({
        cid,
        comments,
        created,
        members,
        tags: Math.floor(rand() * 4),
        likes: recent ? Math.min(10, votes - down) : 0,
      });
      threadCount.set(cid, (threadCount.get(cid) ?? 0) + 1);
    }
    const ids = (await db.insertInto('threads').values(rows).returning('id').execute()).map((r) => r.id);
    const tags = [];
    const comments = [];
    ids.forEach((tid, k) => {
      const m = meta[k];
      const chosen = new Set();
      for (let j = 0; j < m.tags; j++) chosen.add(tagIds[pickTag()]);
      for (const tag_id of chosen) tags.push({ thread_id: tid, tag_id, community_id: m.cid });
      // Reaction rows for recent threads (older ones keep only their stored counts).
      for (let j = 0; j < m.likes; j++) {
        const user_id = pickMember(m.cid);
        reactionRows.set(`${tid}:${user_id}`, {
          community_id: m.cid,
          target_type: 'thread',
          target_id: tid,
          user_id,
          kind: 'like',
          created_at: m.created + (j + 1) * 60_000,
        });
      }
      for (let j = 0; j < m.comments; j++) {
        const body = sentence();
        comments.push({
          thread_id: tid,
          community_id: m.cid,
          parent_id: null,
          author_id: pickMember(m.cid),
          depth: 0,
          path: '',
          body,
          body_html: `<p>${body.replace(/[<>&]/g, '')}</p>`,
          score: 0,
          up_count: 0,
          down_count: 0,
          reaction_counts: '{}',
          created_at: m.created + (j + 1) * 600_000,
        });
      }
    });
    if (tags.length) await batch('thread_tags', tags);
    if (comments.length) await batch('comments', comments);
    commentsTotal += comments.length;
    if ((start / CHUNK) % 25 === 0) process.stderr.write(`  ${start + rows.length} threads\r`);
  }
  // Comment paths (materialized path = zero-padded id for top-level comments).
  const pad = databaseUrl ? "lpad(id::text, 10, '0')" : "substr('0000000000' || id, -10, 10)";
  await sql.raw(`update comments set path = ${pad} where path = ''`).execute(db);
  for (const [cid, n] of threadCount)
    await db.updateTable('communities').set({ thread_count: n }).where('id', '=', cid).execute();
  for (const [cid, list] of membersOf)
    await db.updateTable('communities').set({ member_count: list.length }).where('id', '=', cid).execute();

  // The bench member's interests, follows and mutes; followed members react to recent threads.
  const others = userIds.slice(1);
  const pickOne = (list) => list[Math.floor(rand() * list.length)];
  const followed = new Set();
  while (followed.size < 30) followed.add(pickOne(others));
  const rels = [];
  for (const uid of followed) rels.push({ t: 'follows', target_type: 'user', target_id: uid });
  for (const i of [3, 11, 27]) rels.push({ t: 'follows', target_type: 'tag', target_id: tagIds[i] });
  const mutedUsers = others.filter((u) => !followed.has(u)).slice(0, 2);
  for (const uid of mutedUsers) rels.push({ t: 'mutes', target_type: 'user', target_id: uid });
  rels.push({ t: 'mutes', target_type: 'tag', target_id: tagIds[60] });
  const notMine = communityIds.find((_, ci) => !benchCommunities.has(ci) && ci < 20);
  rels.push({ t: 'mutes', target_type: 'community', target_id: notMine });
  for (const r of rels)
    await db
      .insertInto(r.t)
      .values({ user_id: benchId, target_type: r.target_type, target_id: r.target_id, created_at: now - DAY })
      .execute();
  await batch(
    'user_interests',
    [0, 2, 5, 9, 14].map((i) => ({ user_id: benchId, tag_id: tagIds[i] })),
  );
  const recentThreads = await db
    .selectFrom('threads')
    .select(['id', 'community_id', 'created_at'])
    .where('created_at', '>', now - 7 * DAY)
    .execute();
  const reactions = reactionRows;
  for (const t of recentThreads) {
    if (rand() < 0.1) {
      const user_id = pickOne([...followed]);
      reactions.set(`${t.id}:${user_id}`, {
        community_id: t.community_id,
        target_type: 'thread',
        target_id: t.id,
        user_id,
        kind: 'like',
        created_at: t.created_at + 60_000,
      });
    }
  }
  await batch('reactions', [...reactions.values()]);

  // The thread page: a fresh thread with 20 comments in the biggest public community the
  // bench member belongs to (the member also posts its benchmark comments there).
  const pageCi = [...benchCommunities]
    .filter((ci) => communities[ci].visibility === 'public')
    .sort((a, b) => a - b)[0];
  const pageCid = communityIds[pageCi];
  const pageBody = [sentence(), sentence(), sentence(), sentence()].join(' ');
  const pageThread = await db
    .insertInto('threads')
    .values({
      community_id: pageCid,
      author_id: pickMember(pageCid),
      title: sentence().slice(0, 120),
      body: pageBody,
      body_html: `<p>${pageBody.replace(/[<>&]/g, '')}</p>`,
      excerpt: pageBody.slice(0, 280),
      score: 12,
      up_count: 12,
      down_count: 0,
      reaction_counts: JSON.stringify({ like: 12 }),
      comment_count: 20,
      hot_rank: 0,
      pinned: 0,
      locked: 0,
      created_at: now - 3_600_000,
      last_comment_at: now - 60_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pageComments = [];
  for (let j = 0; j < 20; j++) {
    const body = [sentence(), sentence()].join(' ');
    pageComments.push({
      thread_id: pageThread.id,
      community_id: pageCid,
      parent_id: null,
      author_id: pickMember(pageCid),
      depth: 0,
      path: '',
      body,
      body_html: `<p>${body.replace(/[<>&]/g, '')}</p>`,
      score: 0,
      up_count: 0,
      down_count: 0,
      reaction_counts: '{}',
      created_at: now - 3_000_000 + j * 60_000,
    });
  }
  await batch('comments', pageComments);
  await sql.raw(`update comments set path = ${pad} where path = ''`).execute(db);
  commentsTotal += 20;

  // An API token for the bench member (the server stores its SHA-256).
  const token = `hth_${randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('api_tokens')
    .values({
      user_id: benchId,
      name: 'bench',
      token_hash: createHash('sha256').update(token).digest('hex'),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  const ranked = await refreshHotRanks(db, now);
  // Statistics for the planners after a bulk load (autovacuum would get there on its own, later).
  await sql.raw(databaseUrl ? 'vacuum analyze' : 'analyze').execute(db);
  const biggest = communities[0].slug;
  await db.destroy();
  return {
    threads: N,
    communities: C,
    users: U + 1,
    memberships: memberships.size,
    comments: commentsTotal,
    reactions: reactions.size,
    ranked,
    token,
    biggest,
    searchWords,
    pageThreadId: pageThread.id,
    pageCommunity: communities[pageCi].slug,
    mentionUser: users[1].username,
    benchUser: 'bench',
    seconds: (Date.now() - t0) / 1000,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const dataDir = arg('data', null);
  if (!dataDir && !process.env.DATABASE_URL)
    throw new Error('--data DIR (SQLite) or DATABASE_URL (PostgreSQL)');
  const summary = await generate({
    threads: Number(arg('threads', 10_000)),
    communities: Number(arg('communities', 2000)),
    databaseUrl: process.env.DATABASE_URL || null,
    sqliteFile: dataDir ? path.join(dataDir, 'hearth.sqlite') : null,
  });
  console.log(JSON.stringify(summary, null, 2));
}
