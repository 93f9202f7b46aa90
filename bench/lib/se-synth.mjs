// Synthetic Stack Exchange dumps for the import benchmark (bench/import.mjs) and the importer's
// tests: the same XML format as a real dump (BOM, declaration, one <row .../> per line, CRLF),
// with the proportions and bodies of the real dumps it is given. Every body, title, comment,
// user and tag is sampled from the real files; post bodies are recombined from their top-level
// HTML blocks (a body has as many blocks as a real one has), so lengths, markup and vocabulary
// are the real ones while texts differ. Deterministic for a given seed.
import fs from 'node:fs';
import path from 'node:path';
import { rng } from './rng.mjs';

/** Bump when the generated shape changes (cached dumps are keyed by it). */
export const SYNTH_VERSION = 1;

const FILES = {
  posts: 'Posts.xml',
  comments: 'Comments.xml',
  votes: 'Votes.xml',
  users: 'Users.xml',
  badges: 'Badges.xml',
  tags: 'Tags.xml',
};
const ROW = /<row [^>]*\/>/g;
const ATTR = / ([A-Za-z]+)="([^"]*)"/g;

/** The rows of a dump file as attribute maps, values kept escaped exactly as in the file. */
function readRows(file, source) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  for (const m of fs.readFileSync(file, 'utf8').matchAll(ROW)) {
    const row = { source };
    for (const a of m[0].matchAll(ATTR)) row[a[1]] = a[2];
    out.push(row);
  }
  return out;
}

const VOID = new Set(['br', 'hr', 'img', 'input']);
const TAG = /&lt;(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:(?!&gt;).)*?)(\/?)&gt;/g;

/** Splits an escaped HTML body into its top-level blocks (balanced tag sequences). */
export function topLevelBlocks(escaped) {
  const blocks = [];
  let depth = 0;
  let start = 0;
  for (const m of escaped.matchAll(TAG)) {
    const name = m[2].toLowerCase();
    if (VOID.has(name) || m[4] === '/') {
      if (depth === 0) {
        blocks.push(escaped.slice(start, m.index + m[0].length).replace(/^(&#xA;)+/, ''));
        start = m.index + m[0].length;
      }
      continue;
    }
    depth += m[1] ? -1 : 1;
    if (depth < 0) return [escaped]; // not balanced: keep the body whole
    if (depth === 0) {
      blocks.push(escaped.slice(start, m.index + m[0].length).replace(/^(&#xA;)+/, ''));
      start = m.index + m[0].length;
    }
  }
  if (depth !== 0) return [escaped];
  return blocks.filter((b) => b.length > 0);
}

/** Rows per value of `key` (ids are per source dump). */
function perKey(rows, key) {
  const n = new Map();
  for (const r of rows) {
    if (r[key] === undefined) continue;
    const k = `${r.source}:${r[key]}`;
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return n;
}
const keyOf = (r) => `${r.source}:${r.Id}`;

const pad = (n, w = 2) => String(n).padStart(w, '0');
function seDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}
const license = (ms) =>
  ms < Date.UTC(2011, 3, 8) ? 'CC BY-SA 2.5' : ms < Date.UTC(2018, 4, 2) ? 'CC BY-SA 3.0' : 'CC BY-SA 4.0';

/**
 * Writes a synthetic dump of `questions` questions into `out` (created), sampled from the real
 * dumps in `sources`. Returns the counts written and the counts the importer should produce.
 */
export function generateDump({ sources, out, questions, seed = 10, site = 'synthetic.stackexchange.com' }) {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const real = { posts: [], comments: [], votes: [], users: [], badges: [], tags: [] };
  sources.forEach((dir, i) => {
    for (const [key, file] of Object.entries(FILES)) real[key].push(...readRows(path.join(dir, file), i));
  });
  if (!real.posts.length) throw new Error(`no Posts.xml rows in ${sources.join(', ')}`);

  // Distributions from the real files.
  const realQuestions = real.posts.filter((p) => p.PostTypeId === '1');
  const realAnswers = real.posts.filter((p) => p.PostTypeId === '2');
  const answersPer = perKey(realAnswers, 'ParentId');
  const answerCounts = realQuestions.map((q) => answersPer.get(keyOf(q)) ?? 0);
  const commentsPer = perKey(real.comments, 'PostId');
  const commentCounts = real.posts.map((p) => commentsPer.get(keyOf(p)) ?? 0);
  const votesPer = perKey(real.votes, 'PostId');
  const voteCounts = real.posts.map((p) => votesPer.get(keyOf(p)) ?? 0);
  const voteTypes = real.votes.map((v) => v.VoteTypeId);
  const wikiShare =
    real.posts.filter((p) => p.PostTypeId === '4' || p.PostTypeId === '5').length / real.posts.length;
  const usersPerPost = real.users.length / Math.max(1, real.posts.length);
  const badgesPerUser = real.badges.length / Math.max(1, real.users.length);
  const ownerless = real.posts.filter((p) => !p.OwnerUserId).length / real.posts.length;

  const blocksOf = (rows) => {
    const blocks = [];
    const counts = [];
    for (const r of rows) {
      const b = topLevelBlocks(r.Body ?? '');
      counts.push(b.length);
      blocks.push(...b);
    }
    return { blocks, counts };
  };
  const qBlocks = blocksOf(realQuestions);
  const aBlocks = blocksOf(realAnswers);
  const body = (b) => {
    const k = Math.max(1, pick(b.counts));
    const parts = [];
    for (let i = 0; i < k; i++) parts.push(pick(b.blocks));
    return `${parts.join('&#xA;&#xA;')}&#xA;`;
  };

  // Timeline: questions spread over 2010-08 .. 2023-08; answers, comments, votes after their post.
  const t0 = Date.UTC(2010, 7, 25);
  const t1 = Date.UTC(2023, 7, 9);
  const H = 3_600_000;
  const posts = [];
  for (let i = 0; i < questions; i++) {
    const at = t0 + Math.floor(((i + rand()) / questions) * (t1 - t0));
    const q = { type: '1', at, src: pick(realQuestions), answers: [] };
    posts.push(q);
    const n = pick(answerCounts);
    for (let j = 0; j < n; j++)
      posts.push({ type: '2', at: at + Math.floor(rand() * 30 * 24 * H) + 1, parent: q });
    if (rand() < wikiShare) posts.push({ type: rand() < 0.5 ? '4' : '5', at: at + 1 });
  }
  posts.sort((a, b) => a.at - b.at);
  posts.forEach((p, i) => {
    p.id = i + 1;
  });
  const userCount = Math.max(10, Math.round(posts.length * usersPerPost));
  // Zipf-like authorship: a few members write most posts (like the real sites).
  const author = () => Math.min(userCount, Math.floor(userCount ** rand()));

  fs.mkdirSync(out, { recursive: true });
  const open = (name, root) => {
    const fd = fs.openSync(path.join(out, name), 'w');
    let buf = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<${root}>\r\n`;
    return {
      row(attrs) {
        let s = '  <row';
        for (const [k, v] of Object.entries(attrs)) if (v !== undefined) s += ` ${k}="${v}"`;
        buf += `${s} />\r\n`;
        if (buf.length > 1 << 20) {
          fs.writeSync(fd, buf);
          buf = '';
        }
      },
      close() {
        fs.writeSync(fd, `${buf}</${root}>`);
        fs.closeSync(fd);
      },
    };
  };

  const counts = {
    questions: 0,
    answers: 0,
    comments: 0,
    votes: 0,
    upDown: 0,
    users: userCount + 1,
    badges: 0,
  };
  const pf = open('Posts.xml', 'posts');
  const commentsTodo = [];
  const votesTodo = [];
  for (const p of posts) {
    const owner = rand() < ownerless ? undefined : String(author());
    const base = {
      Id: String(p.id),
      PostTypeId: p.type,
      ParentId: p.type === '2' ? String(p.parent.id) : undefined,
      CreationDate: seDate(p.at),
      Score: '0',
    };
    if (p.type === '1') {
      counts.questions++;
      pf.row({
        ...base,
        ViewCount: String(Math.floor(rand() * 2000)),
        Body: body(qBlocks),
        OwnerUserId: owner,
        OwnerDisplayName: owner ? undefined : `user${Math.floor(rand() * 1e6)}`,
        LastEditDate: rand() < 0.3 ? seDate(p.at + Math.floor(rand() * 100 * H)) : undefined,
        LastActivityDate: seDate(p.at),
        Title: p.src.Title,
        Tags: p.src.Tags,
        AnswerCount: String(p.answers.length),
        CommentCount: '0',
        ContentLicense: license(p.at),
      });
    } else if (p.type === '2') {
      counts.answers++;
      pf.row({
        ...base,
        Body: body(aBlocks),
        OwnerUserId: owner,
        OwnerDisplayName: owner ? undefined : `user${Math.floor(rand() * 1e6)}`,
        LastActivityDate: seDate(p.at),
        CommentCount: '0',
        ContentLicense: license(p.at),
      });
    } else {
      pf.row({
        ...base,
        Body: '',
        OwnerUserId: '-1',
        LastActivityDate: seDate(p.at),
        ContentLicense: license(p.at),
      });
    }
    const nc = p.type === '1' || p.type === '2' ? pick(commentCounts) : 0;
    for (let j = 0; j < nc; j++)
      commentsTodo.push({ post: p, at: p.at + Math.floor(rand() * 10 * 24 * H) + 1 });
    const nv = p.type === '1' || p.type === '2' ? pick(voteCounts) : 0;
    for (let j = 0; j < nv; j++) votesTodo.push({ post: p, at: p.at + Math.floor(rand() * 60 * 24 * H) });
  }
  pf.close();

  commentsTodo.sort((a, b) => a.at - b.at);
  const cf = open('Comments.xml', 'comments');
  commentsTodo.forEach((c, i) => {
    const src = pick(real.comments);
    const owner = rand() < ownerless ? undefined : String(author());
    cf.row({
      Id: String(i + 1),
      PostId: String(c.post.id),
      Score: '0',
      Text: src.Text,
      CreationDate: seDate(c.at),
      UserId: owner,
      UserDisplayName: owner ? undefined : `user${Math.floor(rand() * 1e6)}`,
      ContentLicense: license(c.at),
    });
  });
  counts.comments = commentsTodo.length;
  cf.close();

  votesTodo.sort((a, b) => a.at - b.at);
  const vf = open('Votes.xml', 'votes');
  votesTodo.forEach((v, i) => {
    const type = pick(voteTypes);
    if (type === '2' || type === '3') counts.upDown++;
    vf.row({
      Id: String(i + 1),
      PostId: String(v.post.id),
      VoteTypeId: type,
      CreationDate: `${seDate(v.at).slice(0, 10)}T00:00:00.000`,
    });
  });
  counts.votes = votesTodo.length;
  vf.close();

  const uf = open('Users.xml', 'users');
  uf.row({ Id: '-1', Reputation: '1', CreationDate: seDate(t0), DisplayName: 'Community', AccountId: '-1' });
  for (let i = 1; i <= userCount; i++) {
    const src = pick(real.users);
    uf.row({
      Id: String(i),
      Reputation: src.Reputation ?? '1',
      CreationDate: seDate(t0 + Math.floor((i / userCount) * (t1 - t0))),
      DisplayName: src.DisplayName,
      LastAccessDate: seDate(t1),
      WebsiteUrl: src.WebsiteUrl,
      Location: src.Location,
      AboutMe: src.AboutMe,
      Views: '0',
      UpVotes: '0',
      DownVotes: '0',
      AccountId: String(100000 + i),
    });
  }
  uf.close();

  const bf = open('Badges.xml', 'badges');
  const nb = Math.round(userCount * badgesPerUser);
  for (let i = 1; i <= nb; i++) {
    const src = pick(real.badges);
    bf.row({
      Id: String(i),
      UserId: String(author()),
      Name: src.Name,
      Date: seDate(t0 + Math.floor((i / nb) * (t1 - t0))),
      Class: src.Class,
      TagBased: src.TagBased,
    });
  }
  counts.badges = nb;
  bf.close();

  const tf = open('Tags.xml', 'tags');
  const seen = new Set();
  let tagId = 0;
  for (const t of real.tags) {
    if (seen.has(t.TagName)) continue;
    seen.add(t.TagName);
    tf.row({ Id: String(++tagId), TagName: t.TagName, Count: t.Count });
  }
  tf.close();

  fs.writeFileSync(
    path.join(out, 'SOURCE.txt'),
    `What: synthetic Stack Exchange dump of ${site} (bench/lib/se-synth.mjs v${SYNTH_VERSION}, seed ${seed}, ${questions} questions),\nsampled and recombined from: ${sources.map((s) => path.basename(s)).join(', ')}.\nLicense: the sampled texts are CC BY-SA (see the source dumps).\n`,
  );
  return counts;
}
