import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { controversyRank, hotRank, scaledRank } from '../content/content.ranking.ts';

const HOUR = 3_600_000;

describe('rank formulas (Lemmy utils.sql)', () => {
  it('controversy is (up + down) ^ (min / max) when both are positive, else 0', () => {
    expect(controversyRank(2, 2)).toBe(4);
    expect(controversyRank(3, 1)).toBeCloseTo(4 ** (1 / 3), 12);
    expect(controversyRank(1, 3)).toBeCloseTo(4 ** (1 / 3), 12);
    expect(controversyRank(5, 0)).toBe(0);
    expect(controversyRank(0, 5)).toBe(0);
  });
  it('scaled divides hot by log10(2 + interactions in the month)', () => {
    expect(scaledRank(1, 0)).toBeCloseTo(1 / Math.log10(2), 12);
    expect(scaledRank(1, 98)).toBeCloseTo(0.5, 12);
  });
});

describe('ranked sorts of a community thread list', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let voters: TestUser[];

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    const users = await createUsers(t.app, 'r_owner', 'r_v1', 'r_v2', 'r_v3', 'r_v4');
    owner = users[0];
    voters = users.slice(1);
    expect((await call('POST', '/communities', { slug: 'ranked', name: 'Ranked' }, owner)).status).toBe(201);
    expect((await call('POST', '/communities', { slug: 'quiet', name: 'Quiet' }, owner)).status).toBe(201);
    for (const u of voters) {
      expect((await call('POST', '/communities/ranked/join', {}, u)).status).toBe(200);
    }
  });
  afterAll(async () => t.close());

  const thread = async (title: string, user = owner, slug = 'ranked') => {
    const res = await call('POST', `/communities/${slug}/threads`, { title, body: `About ${title}` }, user);
    expect(res.status).toBe(201);
    t.clock.advance(60_000);
    return res.body.id as number;
  };
  const titles = async (query: string, slug = 'ranked') => {
    const res = await call('GET', `/communities/${slug}/threads?${query}`, undefined, owner);
    expect(res.status).toBe(200);
    return res.body.items.map((i: { title: string }) => i.title);
  };
  const react = async (id: number, ups: number, downs: number) => {
    for (let i = 0; i < ups + downs; i++) {
      const kind = i < ups ? 'like' : 'downvote';
      expect((await call('POST', `/threads/${id}/reactions`, { kind }, voters[i]!)).status).toBe(200);
    }
  };
  const stored = (id: number) =>
    t.db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('controversial orders by (up+down)^(min/max), keeps it current after each reaction, and honours period', async () => {
    const balanced = await thread('balanced 2/2');
    const lopsided = await thread('lopsided 3/1');
    const loved = await thread('loved 3/0');
    const even = await thread('even 1/1');
    await react(balanced, 2, 2);
    await react(lopsided, 3, 1);
    await react(loved, 3, 0);
    await react(even, 1, 1);
    await t.app.events.drain();
    expect((await stored(balanced)).controversy_rank).toBeCloseTo(4, 9);
    expect((await stored(lopsided)).controversy_rank).toBeCloseTo(4 ** (1 / 3), 9);
    const list = await titles('sort=controversial');
    expect(list.slice(0, 3)).toEqual(['balanced 2/2', 'even 1/1', 'lopsided 3/1']);
    // Removing a downvote makes "even" unanimous: controversy 0.
    expect((await call('DELETE', `/threads/${even}/reactions`, undefined, voters[1]!)).status).toBe(200);
    await t.app.events.drain();
    expect((await stored(even)).controversy_rank).toBe(0);
    // Two days later, "controversial this day" holds nothing older.
    t.clock.advance(2 * 24 * HOUR);
    const fresh = await thread('fresh 1/1');
    await react(fresh, 1, 1);
    await t.app.events.drain();
    expect(await titles('sort=controversial&period=day')).toEqual(['fresh 1/1']);
  });

  it('most_comments pages by comment count without gaps or repeats', async () => {
    const counts = [3, 0, 5, 1];
    for (const [i, n] of counts.entries()) {
      const id = await thread(`commented ${n}`, owner, 'quiet');
      for (let c = 0; c < n; c++) {
        expect((await call('POST', `/threads/${id}/comments`, { body: `c${c}` }, owner)).status).toBe(201);
      }
      expect(i).toBeGreaterThanOrEqual(0);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        'GET',
        `/communities/quiet/threads?sort=most_comments&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        owner,
      );
      seen.push(...res.body.items.map((i: { title: string }) => i.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['commented 5', 'commented 3', 'commented 1', 'commented 0']);
  });

  it('active is hot timed from the newest reply by someone else within 2 days of the thread', async () => {
    const older = await thread('older, replied by others');
    t.clock.advance(10 * HOUR);
    const newer = await thread('newer, no replies');
    const selfReplied = await thread('self replied');
    t.clock.advance(HOUR);
    // The author replying to their own thread does not bump it.
    expect((await call('POST', `/threads/${selfReplied}/comments`, { body: 'me again' }, owner)).status).toBe(
      201,
    );
    expect((await call('POST', `/threads/${older}/comments`, { body: 'a reply' }, voters[0]!)).status).toBe(
      201,
    );
    const replyAt = t.clock.now();
    await t.app.events.drain();
    expect((await stored(older)).active_at).toBe(replyAt);
    expect((await stored(selfReplied)).active_at).toBeNull();
    // Ranks stored at different moments compare once the job has brought them to the same "now".
    await t.app.jobs.runNow('content.hot_ranks');
    const active = (await titles('sort=active&limit=50')).filter((x: string) =>
      ['older, replied by others', 'newer, no replies', 'self replied'].includes(x),
    );
    expect(active[0]).toBe('older, replied by others');
    const hot = (await titles('sort=hot&limit=50')).filter((x: string) =>
      ['older, replied by others', 'newer, no replies'].includes(x),
    );
    expect(hot[0]).toBe('newer, no replies');
    // A reply more than 2 days after the thread started does not bump it (no necro-bumping).
    t.clock.advance(2 * 24 * HOUR);
    expect((await call('POST', `/threads/${newer}/comments`, { body: 'late' }, voters[1]!)).status).toBe(201);
    await t.app.events.drain();
    expect((await stored(newer)).active_at).toBeNull();
  });

  it('the job refreshes community activity and every stored rank, scaled = hot / log10(2 + interactions)', async () => {
    expect(await t.app.jobs.runNow('content.hot_ranks')).toBeGreaterThan(0);
    const now = t.clock.now();
    const communities = await t.db.selectFrom('communities').select(['id', 'slug']).execute();
    for (const c of communities) {
      const threads = await t.db
        .selectFrom('threads')
        .selectAll()
        .where('community_id', '=', c.id)
        .where('deleted_at', 'is', null)
        .execute();
      const interactions = threads
        .filter((r) => r.created_at >= now - 30 * 24 * HOUR)
        .reduce((sum, r) => sum + r.comment_count + r.up_count + r.down_count, 0);
      const activity = await t.db
        .selectFrom('community_activity')
        .selectAll()
        .where('community_id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(activity.interactions_month).toBe(interactions);
      expect(interactions).toBeGreaterThan(0);
      for (const r of threads) {
        const hot = hotRank(r.score, r.created_at, now);
        expect(r.hot_rank).toBeCloseTo(hot, 9);
        expect(r.scaled_rank).toBeCloseTo(scaledRank(hot, interactions), 9);
        expect(r.hot_rank_active).toBeCloseTo(hotRank(r.score, r.active_at ?? r.created_at, now), 9);
        expect(r.controversy_rank).toBeCloseTo(controversyRank(r.up_count, r.down_count), 9);
      }
    }
    // Within one community the divisor is the same, so scaled lists in hot order.
    expect(await titles('sort=scaled&limit=50')).toEqual(await titles('sort=hot&limit=50'));
  });

  it('a deleted thread ranks 0, and ten days later every time-based rank has decayed to 0', async () => {
    const doomed = await thread('doomed');
    expect((await call('DELETE', `/threads/${doomed}`, undefined, owner)).status).toBe(200);
    await t.app.jobs.runNow('content.hot_ranks');
    const d = await stored(doomed);
    expect([d.hot_rank, d.hot_rank_active, d.scaled_rank]).toEqual([0, 0, 0]);
    t.clock.advance(10 * 24 * HOUR);
    await t.app.jobs.runNow('content.hot_ranks');
    const rows = await t.db
      .selectFrom('threads')
      .select(['hot_rank', 'hot_rank_active', 'scaled_rank'])
      .execute();
    expect(rows.every((r) => r.hot_rank === 0 && r.hot_rank_active === 0 && r.scaled_rank === 0)).toBe(true);
  });

  it('rejects an unknown sort with a coded error', async () => {
    const res = await call('GET', '/communities/ranked/threads?sort=bogus', undefined, owner);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
