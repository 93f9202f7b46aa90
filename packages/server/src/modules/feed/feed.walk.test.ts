import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { mulberry32 } from '../../platform/random.ts';
import { feedScore, MAX_BOOST } from './feed.ranking.ts';
import { WALK_SLACK } from './feed.service.ts';

const saved = { ...WALK_SLACK };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOW = 7 * DAY;

/**
 * The home feed's threshold walk (feed.service.ts) against the plainest reading of its
 * definition (README "Home feed"): every thread of every source, scored one by one, sorted.
 * Random data (communities public and private, mutes, follows, interests, held and deleted
 * threads, comments and reactions of followed members); the data set is big enough that the
 * walk needs several rounds and, on PostgreSQL, resumes communities cut at their LIMIT.
 */
describe.each([
  [11, 'default'],
  [29, 'default'],
  [11, 'tight'],
  [47, 'tight'],
])('home feed walk, seed %i, %s first guesses', (seed, guesses) => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let me: TestUser;
  let others: TestUser[];
  const rand = mulberry32(seed); // deterministic: a failure can be replayed
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;

  beforeAll(async () => {
    // Tight: the first walks go down only as far as if no boost applied, so reaching the exact
    // page rests on the bounds (x4 boosts, staleness) and on resuming the walk.
    if (guesses === 'tight')
      Object.assign(WALK_SLACK, { probe: 1 / MAX_BOOST, cursor: 1 / MAX_BOOST, step: 1.5, rounds: 60 });
    t = await createTestApp();
    call = api(t.app);
    const users = await createUsers(t.app, 'w_me', 'w_a', 'w_b', 'w_c', 'w_d', 'w_e', 'w_f');
    [me] = users;
    others = users.slice(1);
    const [a, b, c, d, e] = others as [TestUser, TestUser, TestUser, TestUser, TestUser];
    const community = async (slug: string, owner: TestUser, visibility = 'public') =>
      expect((await call('POST', '/communities', { slug, name: slug, visibility }, owner)).status).toBe(201);
    await community('walk-0', a);
    await community('walk-1', b);
    await community('walk-2', c);
    await community('walk-3', d); // public, I am not in it
    await community('walk-4', me, 'private');
    await community('walk-5', e, 'private'); // private, I am not in it
    for (const slug of ['walk-0', 'walk-1', 'walk-2'])
      expect((await call('POST', `/communities/${slug}/join`, {}, me)).status).toBe(200);
    for (const path of ['/follows/users/w_a', '/follows/users/w_b', '/follows/users/w_e']) {
      expect((await call('POST', path, undefined, me)).status).toBe(200);
    }
    for (const tag of ['t1', 't2'])
      expect((await call('POST', `/follows/tags/${tag}`, undefined, me)).status).toBe(200);
    for (const path of ['/mutes/users/w_d', '/mutes/tags/t3', '/mutes/communities/walk-2'])
      expect((await call('POST', path, undefined, me)).status).toBe(200);
    expect((await call('PATCH', '/me', { interests: ['t1', 't4', 't5'] }, me)).status).toBe(200);

    const communities = await t.db.selectFrom('communities').select(['id', 'slug']).execute();
    const tagIds: number[] = [];
    for (let i = 0; i < 8; i++) {
      const name = `t${i}`;
      const found = await t.db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirst();
      tagIds.push(
        found?.id ??
          (
            await t.db
              .insertInto('tags')
              .values({ name, created_at: 0 })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
      );
    }
    const now = t.clock.now();
    const authors = [me, ...others].map((u) => u.id);
    const followedIds = [others[0]!.id, others[1]!.id, others[4]!.id];
    // Busy community w0 (more than a PostgreSQL walk LIMIT of ranked threads), the others quieter.
    for (let i = 0; i < 260; i++) {
      const busy = i < 110;
      const c = busy ? communities.find((x) => x.slug === 'walk-0')! : pick(communities);
      // A muted member's popular threads: the highest stored ranks, all left out (the walk's
      // first guess of its threshold counts them, so it must go further down).
      const loud = rand() < 0.15;
      const up = loud ? 50 + Math.floor(rand() * 150) : Math.floor(1 / (1 - rand()) ** 0.8) - 1;
      const down = Math.floor(rand() * 3);
      // More threads lately; the busy community's young threads rank below older ones elsewhere
      // (its activity divides their scaled rank), so they are met on later pages too.
      const created = now - Math.floor(rand() ** 2 * 10 * DAY);
      const r = rand();
      const row = await t.db
        .insertInto('threads')
        .values({
          community_id: c.id,
          author_id: loud ? others[3]!.id : pick(authors),
          title: `walk ${i}`,
          body: 'b',
          body_html: '<p>b</p>',
          excerpt: 'b',
          score: up - down,
          up_count: up,
          down_count: down,
          reaction_counts: '{}',
          comment_count: Math.floor(rand() * (busy ? 80 : 4)),
          hot_rank: 0,
          pinned: 0,
          locked: 0,
          created_at: created,
          status: r < 0.05 ? 'pending' : 'visible',
          deleted_at: r > 0.95 ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const tags = new Set<number>();
      for (let k = Math.floor(rand() * 4); k > 0; k--) tags.add(pick(tagIds));
      for (const tag of tags)
        await t.db
          .insertInto('thread_tags')
          .values({ thread_id: row.id, tag_id: tag, community_id: c.id })
          .execute();
      // Followed (and other) members comment and react, at times before and after the thread.
      for (let k = Math.floor(rand() * 3); k > 0; k--) {
        const author = pick([...followedIds, others[2]!.id]);
        await t.db
          .insertInto('comments')
          .values({
            thread_id: row.id,
            community_id: c.id,
            parent_id: null,
            author_id: author,
            depth: 0,
            path: `${row.id}-${k}`,
            body: 'c',
            body_html: '<p>c</p>',
            score: 0,
            up_count: 0,
            down_count: 0,
            reaction_counts: '{}',
            created_at: created + Math.floor(rand() * DAY),
            deleted_at: rand() < 0.2 ? now : null,
          })
          .execute();
      }
      for (const user of followedIds)
        if (rand() < 0.3)
          await t.db
            .insertInto('reactions')
            .values({
              community_id: c.id,
              target_type: 'thread',
              target_id: row.id,
              user_id: user,
              kind: rand() < 0.3 ? 'downvote' : 'like',
              created_at: created + Math.floor(rand() * DAY),
            })
            .execute();
    }
    await t.app.jobs.runNow('content.hot_ranks');
  });
  afterAll(async () => {
    Object.assign(WALK_SLACK, saved);
    await t.close();
  });

  /** Every thread of the feed at asOf, ranked one by one: tier 1 by feedScore, then tier 2 by time. */
  async function reference(asOf: number) {
    const from = asOf - WINDOW;
    const db = t.db;
    const rel = async (table: 'follows' | 'mutes', type: 'user' | 'tag' | 'community') =>
      new Set(
        (
          await db
            .selectFrom(table)
            .select('target_id')
            .where('user_id', '=', me.id)
            .where('target_type', '=', type)
            .execute()
        ).map((r) => r.target_id),
      );
    const followed = await rel('follows', 'user');
    const followedTags = await rel('follows', 'tag');
    const mutedUsers = await rel('mutes', 'user');
    const mutedTags = await rel('mutes', 'tag');
    const mutedCommunities = await rel('mutes', 'community');
    const interests = new Set(
      (await db.selectFrom('user_interests').select('tag_id').where('user_id', '=', me.id).execute()).map(
        (r) => r.tag_id,
      ),
    );
    const mine = new Set(
      (
        await db
          .selectFrom('memberships')
          .select('community_id')
          .where('user_id', '=', me.id)
          .where('status', '=', 'active')
          .execute()
      ).map((r) => r.community_id),
    );
    const publicIds = new Set(
      (await db.selectFrom('communities').select('id').where('visibility', '=', 'public').execute()).map(
        (r) => r.id,
      ),
    );
    const activity = new Map(
      (await db.selectFrom('community_activity').selectAll().execute()).map((r) => [
        r.community_id,
        r.interactions_month,
      ]),
    );
    const tagsOf = new Map<number, number[]>();
    for (const r of await db.selectFrom('thread_tags').select(['thread_id', 'tag_id']).execute())
      tagsOf.set(r.thread_id, [...(tagsOf.get(r.thread_id) ?? []), r.tag_id]);
    const engaged = new Map<number, Set<number>>();
    const engage = (thread: number, user: number) =>
      engaged.set(thread, (engaged.get(thread) ?? new Set()).add(user));
    for (const c of await db.selectFrom('comments').selectAll().execute())
      if (followed.has(c.author_id) && c.deleted_at == null && c.created_at > from && c.created_at <= asOf)
        engage(c.thread_id, c.author_id);
    for (const r of await db
      .selectFrom('reactions')
      .selectAll()
      .where('target_type', '=', 'thread')
      .execute())
      if (followed.has(r.user_id) && r.kind !== 'downvote' && r.created_at > from && r.created_at <= asOf)
        engage(r.target_id, r.user_id);

    const tier1: { id: number; score: number }[] = [];
    const tier2: { id: number; at: number }[] = [];
    for (const th of await db.selectFrom('threads').selectAll().execute()) {
      const tags = tagsOf.get(th.id) ?? [];
      if (th.deleted_at != null || th.status !== 'visible' || th.created_at > asOf) continue;
      if (mutedUsers.has(th.author_id) || mutedCommunities.has(th.community_id)) continue;
      if (tags.some((x) => mutedTags.has(x))) continue;
      const readable = publicIds.has(th.community_id) || mine.has(th.community_id);
      const source =
        mine.has(th.community_id) ||
        (readable && (followed.has(th.author_id) || tags.some((x) => followedTags.has(x))));
      if (!source) continue;
      if (th.created_at <= from) {
        tier2.push({ id: th.id, at: th.created_at });
        continue;
      }
      const people = new Set(engaged.get(th.id) ?? []);
      if (followed.has(th.author_id)) people.add(th.author_id);
      const score = feedScore(
        {
          score: th.score,
          createdAt: th.created_at,
          interactionsMonth: activity.get(th.community_id) ?? 0,
          interestMatches: new Set(tags.filter((x) => interests.has(x) || followedTags.has(x))).size,
          followedEngaged: people.size,
        },
        asOf,
      );
      tier1.push({ id: th.id, score });
    }
    tier1.sort((x, y) => y.score - x.score || y.id - x.id);
    tier2.sort((x, y) => y.at - x.at || y.id - x.id);
    return { tier1: tier1.map((x) => x.id), all: [...tier1.map((x) => x.id), ...tier2.map((x) => x.id)] };
  }

  const page = async (query: string) => {
    const res = await call('GET', `/feed?${query}`, undefined, me);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: { id: number; reasons: string[] }[]; nextCursor: string | null };
  };

  it('pages exactly as ranking every thread would, tier 1 then tier 2', async () => {
    const expected = await reference(t.clock.now());
    expect(expected.tier1.length).toBeGreaterThan(60);
    const seen: number[] = [];
    let body = await page('limit=7');
    seen.push(...body.items.map((i) => i.id));
    while (body.nextCursor) {
      body = await page(`limit=7&cursor=${body.nextCursor}`);
      seen.push(...body.items.map((i) => i.id));
    }
    expect(seen).toEqual(expected.all);
    // One page of everything agrees too (a single walk to the end).
    expect((await page('limit=100')).items.map((i) => i.id)).toEqual(expected.all.slice(0, 100));
  });

  it('keeps paging exactly after the clock moved on and the ranks were refreshed', async () => {
    const asOf = t.clock.now();
    const expected = await reference(asOf);
    const first = await page('limit=4');
    expect(first.items.map((i) => i.id)).toEqual(expected.all.slice(0, 4));
    // Stored ranks now computed later than asOf (and the oldest threads of asOf's window at 0).
    t.clock.advance(20 * HOUR);
    await t.app.jobs.runNow('content.hot_ranks');
    const seen = first.items.map((i) => i.id);
    let body = first;
    while (body.nextCursor && seen.length < expected.tier1.length + 9) {
      body = await page(`limit=3&cursor=${body.nextCursor}`);
      seen.push(...body.items.map((i) => i.id));
    }
    expect(seen.slice(0, expected.tier1.length)).toEqual(expected.tier1);
  });

  it('starts a repeated first page at the remembered depth and still pages exactly', async () => {
    await t.app.jobs.runNow('content.hot_ranks');
    const first = await page('limit=6');
    expect(first.items.map((i) => i.id)).toEqual((await reference(t.clock.now())).all.slice(0, 6));
    // Within the minute the depth is remembered: the best threads go away (deleted, held: the
    // remembered depth is now far too shallow), a new one arrives, time passes.
    t.clock.advance(30_000);
    const best = (await reference(t.clock.now())).tier1.slice(0, 40);
    const [x, y] = best as [number, number];
    await t.db
      .updateTable('threads')
      .set({ deleted_at: t.clock.now() })
      .where('id', 'in', best.slice(1))
      .execute();
    await t.db.updateTable('threads').set({ status: 'pending' }).where('id', '=', x).execute();
    const posted = await call(
      'POST',
      '/communities/walk-0/threads',
      { title: 'New', body: 'fresh' },
      others[0]!,
    );
    expect(posted.status).toBe(201);
    await t.app.events.drain();
    const again = await page('limit=6');
    const expected = await reference(t.clock.now());
    expect(again.items.map((i) => i.id)).toEqual(expected.all.slice(0, 6));
    expect(again.items.map((i) => i.id)).not.toContain(x);
    expect(again.items.map((i) => i.id)).not.toContain(y);
    // And the next pages follow on exactly.
    const seen = again.items.map((i) => i.id);
    let body = again;
    while (body.nextCursor && seen.length < 30) {
      body = await page(`limit=6&cursor=${body.nextCursor}`);
      seen.push(...body.items.map((i) => i.id));
    }
    expect(seen).toEqual(expected.all.slice(0, seen.length));
  });
});
