import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, type TestApp } from '../../../test/harness.ts';
import { excerpt, renderMarkdown } from '../content/content.markdown.ts';
import { render } from './progress.ts';
import { htmlToMarkdown, parseTags } from './se.convert.ts';
import { ImportFileError, ImportInterrupted, importStackExchange } from './se.import.ts';
import { convert } from './se.render.ts';
import { readRows } from './se.xml.ts';

const DATA = path.resolve(__dirname, '../../../../../../shared/data');
const hasData = fs.existsSync(path.join(DATA, 'se-conlang-meta', 'Posts.xml'));
if (!hasData) console.warn(`SKIPPING Stack Exchange import tests: ${DATA} is absent (the shared data sets)`);

// Whole-dump imports: on a loaded machine one can take well over vitest's default 30 s.
const SLOW = 180_000;

/** Expected counts straight from the XML text (regexes, independent of the importer's parser). */
function expected(dir: string) {
  const rows = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').match(/<row [^>]*\/>/g) ?? [];
  const attr = (row: string, name: string) => row.match(new RegExp(` ${name}="([^"]*)"`))?.[1];
  const posts = rows('Posts.xml');
  const questions = new Set(posts.filter((r) => attr(r, 'PostTypeId') === '1').map((r) => attr(r, 'Id')));
  const answers = new Set(
    posts
      .filter((r) => attr(r, 'PostTypeId') === '2' && questions.has(attr(r, 'ParentId')))
      .map((r) => attr(r, 'Id')),
  );
  const imported = (id: string | undefined) => questions.has(id) || answers.has(id);
  const comments = rows('Comments.xml').filter((r) => imported(attr(r, 'PostId'))).length;
  const votes = rows('Votes.xml').filter(
    (r) => ['2', '3'].includes(attr(r, 'VoteTypeId')!) && imported(attr(r, 'PostId')),
  );
  const dates = posts
    .filter((r) => attr(r, 'PostTypeId') === '1')
    .map((r) => Date.parse(`${attr(r, 'CreationDate')}Z`));
  return {
    threads: questions.size,
    comments: answers.size + comments,
    users: rows('Users.xml').length,
    reactions: votes.length,
    up: votes.filter((r) => attr(r, 'VoteTypeId') === '2').length,
    first: Math.min(...dates),
    last: Math.max(...dates),
  };
}

describe.skipIf(!hasData)('hearth import stackexchange', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const count = async (table: 'threads' | 'comments', communityId: number) =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('community_id', '=', communityId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  for (const name of ['se-conlang-meta', 'se-bicycles-meta']) {
    it(
      `imports ${name} with counts and dates matching the files, and a re-run adds nothing`,
      async () => {
        const dir = path.join(DATA, name);
        const want = expected(dir);
        const s = await importStackExchange({ db: t.db, clock: t.clock }, { dir });
        const cid = s.community.id;
        expect(await count('threads', cid)).toBe(want.threads);
        expect(await count('comments', cid)).toBe(want.comments);
        const members = await t.db
          .selectFrom('imported_accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('community_id', '=', cid)
          .where('kind', '=', 'member')
          .executeTakeFirstOrThrow();
        expect(Number(members.n)).toBe(want.users);
        const reactions = await t.db
          .selectFrom('reactions')
          .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
          .where('community_id', '=', cid)
          .groupBy('kind')
          .execute();
        const byKind = Object.fromEntries(reactions.map((r) => [r.kind, Number(r.n)]));
        expect((byKind.like ?? 0) + (byKind.downvote ?? 0)).toBe(want.reactions);
        expect(byKind.like).toBe(want.up);
        // Stored counters agree with the rows: the sum of thread + comment up counts is the number of upvotes.
        const ups = await Promise.all(
          (['threads', 'comments'] as const).map((tb) =>
            t.db
              .selectFrom(tb)
              .select((eb) => eb.fn.sum<number>('up_count').as('n'))
              .where('community_id', '=', cid)
              .executeTakeFirstOrThrow(),
          ),
        );
        expect(Number(ups[0]!.n) + Number(ups[1]!.n)).toBe(want.up);
        const span = await t.db
          .selectFrom('threads')
          .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
          .where('community_id', '=', cid)
          .executeTakeFirstOrThrow();
        expect([Number(span.first), Number(span.last)]).toEqual([want.first, want.last]);

        const again = await importStackExchange({ db: t.db, clock: t.clock }, { dir });
        expect(again.created).toEqual({ users: 0, threads: 0, comments: 0, reactions: 0, tags: 0 });
        expect(await count('threads', cid)).toBe(want.threads);
        expect(await count('comments', cid)).toBe(want.comments);
      },
      SLOW,
    );
  }

  it('shows the attribution (original link, author, licence) in the thread and comment API', async () => {
    const c = await t.db
      .selectFrom('communities')
      .select('id')
      .where('slug', '=', 'se-conlang-meta')
      .executeTakeFirstOrThrow();
    const thread = await t.db
      .selectFrom('threads')
      .select('id')
      .where('community_id', '=', c.id)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const call = api(t.app);
    const res = await call('GET', `/threads/${thread.id}`);
    expect(res.status).toBe(200);
    expect(res.body.attribution.url).toMatch(/^https:\/\/conlang\.meta\.stackexchange\.com\/q\/\d+$/);
    expect(res.body.attribution.license).toMatch(/^CC BY-SA/);
    expect(res.body.attribution.authorName).not.toBe('');
    expect(res.body.createdAt.startsWith('2018-')).toBe(true);
    const comments = await call('GET', `/threads/${thread.id}/comments?limit=50`);
    expect(comments.status).toBe(200);
    expect(comments.body.items.length).toBeGreaterThan(0);
    for (const item of comments.body.items)
      expect(item.attribution.url).toMatch(/\/(a|posts\/comments)\/\d+$/);
  });

  it(
    'rejects a malformed file naming file and line, and writes nothing',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'se-bad-'));
      try {
        for (const f of fs.readdirSync(path.join(DATA, 'se-conlang-meta')))
          fs.copyFileSync(path.join(DATA, 'se-conlang-meta', f), path.join(dir, f));
        const votes = fs.readFileSync(path.join(dir, 'Votes.xml'), 'utf8').split('\n');
        votes[5] = votes[5]!.replace('/>', '>'); // an unclosed <row> on line 6
        fs.writeFileSync(path.join(dir, 'Votes.xml'), votes.join('\n'));
        const before = await t.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const err = await importStackExchange(
          { db: t.db, clock: t.clock },
          { dir, communitySlug: 'bad-dump' },
        ).catch((e) => e);
        expect(err).toBeInstanceOf(ImportFileError);
        expect(err.message).toMatch(/^Votes\.xml line \d+: /);
        const after = await t.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(after.n)).toBe(Number(before.n));
        expect(
          await t.db.selectFrom('communities').select('id').where('slug', '=', 'bad-dump').executeTakeFirst(),
        ).toBeUndefined();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

/** The synthetic dump generator of bench/import.mjs (plain JavaScript, outside the server package). */
type Counts = { questions: number; answers: number; comments: number; upDown: number; users: number };
async function synthetic(questions: number, seed: number): Promise<{ dir: string; counts: Counts }> {
  const generator = path.resolve(__dirname, '../../../../../bench/lib/se-synth.mjs');
  const { generateDump } = (await import(generator)) as {
    generateDump: (o: { sources: string[]; out: string; questions: number; seed: number }) => Counts;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'se-synth-'));
  const sources = ['se-bicycles-meta', 'se-conlang-meta'].map((d) => path.join(DATA, d));
  return { dir, counts: generateDump({ sources, out: dir, questions, seed }) };
}

describe.skipIf(!hasData)('hearth import stackexchange: bulk paths', () => {
  let t: TestApp;
  const dirs: string[] = [];
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await t.close();
  });

  const countOf = async (table: 'threads' | 'comments' | 'reactions', communityId: number) =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('community_id', '=', communityId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const community = (slug: string) =>
    t.db.selectFrom('communities').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  /** Every post, comment and vote of the dump is there exactly once, and the counters agree. */
  async function expectComplete(slug: string, c: Counts) {
    const { id } = await community(slug);
    expect(await countOf('threads', id)).toBe(c.questions);
    expect(await countOf('comments', id)).toBe(c.answers + c.comments);
    expect(await countOf('reactions', id)).toBe(c.upDown);
    const counted = await t.db
      .selectFrom('threads')
      .select((eb) => [
        eb.fn.sum<number>('comment_count').as('comments'),
        eb.fn.sum<number>('up_count').as('up'),
      ])
      .where('community_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(counted.comments)).toBe(c.answers + c.comments);
    const members = await t.db
      .selectFrom('imported_accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', id)
      .where('kind', '=', 'member')
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe(c.users);
    return id;
  }

  it(
    'renders the real dumps exactly like the one-by-one renderer (the batched sanitizer changes nothing)',
    async () => {
      for (const name of ['se-conlang-meta', 'se-bicycles-meta']) {
        for (const [file, root, attr, html] of [
          ['Posts.xml', 'posts', 'Body', true],
          ['Comments.xml', 'comments', 'Text', false],
        ] as const) {
          for await (const rows of readRows(path.join(DATA, name, file), root, 500, undefined, {
            raw: new Set([attr]),
          })) {
            const items = rows.map((r, i) => ({ source: r.attrs[attr] ?? '', html, excerpt: i % 3 === 0 }));
            const out = convert(items);
            rows.forEach((_, i) => {
              expect(out[i]!.html).toBe(renderMarkdown(out[i]!.body).html);
              expect(out[i]!.excerpt).toBe(items[i]!.excerpt ? excerpt(out[i]!.body) : null);
              if (html) expect(out[i]!.body).toBe(htmlToMarkdown(decodeXml(items[i]!.source)));
            });
          }
        }
      }
    },
    SLOW,
  );

  it(
    'imports a synthetic dump (bench/lib/se-synth.mjs) on the main thread, counts matching the generator',
    async () => {
      const { dir, counts } = await synthetic(40, 1);
      dirs.push(dir);
      const s = await importStackExchange(
        { db: t.db, clock: t.clock },
        { dir, communitySlug: 'se-synth-inline', workers: 0, batchSize: 64 },
      );
      expect(s.created.threads).toBe(counts.questions);
      expect(s.created.reactions).toBe(counts.upDown);
      const id = await expectComplete('se-synth-inline', counts);
      // Search finds imported content (the triggers index every inserted row).
      const thread = await t.db
        .selectFrom('threads')
        .select(['id', 'title'])
        .where('community_id', '=', id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const word = thread.title.split(/\W+/).find((w) => w.length > 4) ?? thread.title.split(/\W+/)[0]!;
      const found = await api(t.app)(
        'GET',
        `/search?q=${encodeURIComponent(word)}&type=threads&community=se-synth-inline&limit=50`,
      );
      expect(found.status).toBe(200);
      expect(found.body.items.map((h: { id: number }) => h.id)).toContain(thread.id);
    },
    SLOW,
  );

  it(
    'imports answers that come before their question in Posts.xml (merged questions)',
    async () => {
      const { dir, counts } = await synthetic(20, 2);
      dirs.push(dir);
      const lines = fs.readFileSync(path.join(dir, 'Posts.xml'), 'utf8').split('\r\n');
      const i = lines.findIndex((l) => l.includes('PostTypeId="2"'));
      const [answer] = lines.splice(i, 1);
      lines.splice(2, 0, answer!); // right after <posts>
      fs.writeFileSync(path.join(dir, 'Posts.xml'), lines.join('\r\n'));
      await importStackExchange(
        { db: t.db, clock: t.clock },
        { dir, communitySlug: 'se-synth-order', batchSize: 16 },
      );
      await expectComplete('se-synth-order', counts);
    },
    SLOW,
  );

  for (const [phase, file] of [
    ['comments', 'Comments.xml'],
    ['votes', 'Votes.xml'],
  ] as const) {
    it(
      `resumes after an interruption in the middle of the ${phase} phase, duplicating nothing`,
      async () => {
        const { dir, counts } = await synthetic(30, 3);
        dirs.push(dir);
        const slug = `se-synth-stop-${phase}`;
        const stop = new AbortController();
        let start: number | null = null;
        const err = await importStackExchange(
          { db: t.db, clock: t.clock },
          {
            dir,
            communitySlug: slug,
            batchSize: 25,
            signal: stop.signal,
            progress: (p) => {
              if (p.phase !== 'importing' || p.file !== file) return;
              start ??= p.items;
              if (p.items - start >= 50) stop.abort(); // after two batches of the phase
            },
          },
        ).catch((e) => e);
        expect(err).toBeInstanceOf(ImportInterrupted);
        const { id } = await community(slug);
        const table = phase === 'comments' ? 'comments' : 'reactions';
        const want = phase === 'comments' ? counts.answers + counts.comments : counts.upDown;
        const partial = await countOf(table, id);
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(want);

        const s = await importStackExchange(
          { db: t.db, clock: t.clock },
          { dir, communitySlug: slug, batchSize: 25 },
        );
        expect(s.created.threads).toBe(0);
        expect(phase === 'comments' ? s.created.comments : s.created.reactions).toBe(want - partial);
        await expectComplete(slug, counts);
      },
      SLOW,
    );
  }

  it(
    'rejects a bad reference in Posts.xml naming file and line, and writes nothing',
    async () => {
      const { dir } = await synthetic(5, 4);
      dirs.push(dir);
      const lines = fs.readFileSync(path.join(dir, 'Posts.xml'), 'utf8').split('\r\n');
      lines[3] = lines[3]!.replace('&lt;', '&lt'); // a reference without its ;
      fs.writeFileSync(path.join(dir, 'Posts.xml'), lines.join('\r\n'));
      const err = await importStackExchange(
        { db: t.db, clock: t.clock },
        { dir, communitySlug: 'se-bad-ref' },
      ).catch((e) => e);
      expect(err).toBeInstanceOf(ImportFileError);
      expect(err.message).toMatch(/^Posts\.xml line 4: bad reference/);
      expect(
        await t.db.selectFrom('communities').select('id').where('slug', '=', 'se-bad-ref').executeTakeFirst(),
      ).toBeUndefined();
    },
    SLOW,
  );
});

const decodeXml = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!,
  );

describe('conversions', () => {
  it('turns SE HTML into Markdown and SE tags into Hearth tags', () => {
    expect(
      htmlToMarkdown(
        '<p>See <a href="https://x.test/a">this <em>post</em></a> &amp; <code>a&lt;b</code></p>',
      ),
    ).toBe('See [this *post*](https://x.test/a) & `a<b`');
    expect(htmlToMarkdown('<pre><code>if (a &lt; b)\n  go();\n</code></pre>')).toBe(
      '```\nif (a < b)\n  go();\n```',
    );
    expect(parseTags('<c#><feature-request>')).toEqual(['c-sharp', 'feature-request']);
    expect(parseTags('|bug|status-completed|')).toEqual(['bug', 'status-completed']);
  });

  it('renders a progress line with rate and ETA', () => {
    const line = render(
      { phase: 'importing', file: 'Posts.xml', bytesDone: 50, bytesTotal: 100, items: 200 },
      2,
    );
    expect(line).toContain(' 50%');
    expect(line).toContain('100 rows/s');
    expect(line).toContain('ETA 2s');
  });
});
