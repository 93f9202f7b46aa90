import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTestApp,
  createUser,
  createUsers,
  type TestApp,
  type TestUser,
} from '../../../test/harness.ts';
import { hotRank } from './content.ranking.ts';

const HOUR = 3_600_000;

describe('content: threads, comments, reactions, mentions, tags', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let mod: TestUser;
  let member: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, mod, member, outsider] = await createUsers(t.app, 'c_owner', 'c_mod', 'c_member', 'c_out');
    expect(
      (await call('POST', '/communities', { slug: 'runners', name: 'Runners', guidelines: 'Be kind' }, owner))
        .status,
    ).toBe(201);
    for (const u of [mod, member]) {
      expect((await call('POST', '/communities/runners/join', { acceptGuidelines: true }, u)).status).toBe(
        200,
      );
    }
    expect(
      (await call('PATCH', `/communities/runners/members/${mod.username}`, { role: 'moderator' }, owner))
        .status,
    ).toBe(200);
  });
  afterAll(async () => t.close());

  const newThread = async (title = 'A thread', body = 'Body text', user = member, extra: object = {}) => {
    const res = await call('POST', '/communities/runners/threads', { title, body, ...extra }, user);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('creates a thread with rendered markdown, tags from the body and the tags field, and mentions of real users', async () => {
    const th = await newThread(
      'Hill repeats',
      'Ask @C_Out and @nobody_here about #Hills, or me @c_member',
      member,
      {
        tags: ['Training', '#hills'],
      },
    );
    expect(th.bodyHtml).toContain('<a href="/u/c_out" class="mention">@c_out</a>');
    expect(th.tags).toEqual(['hills', 'training']);
    // Public community: a non-member can read it, so the mention is kept; unknown users and self-mentions are not.
    expect(th.mentions).toEqual(['c_out']);
    expect(th.author.username).toBe('c_member');
    const events = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'content.thread_created')
      .execute();
    const payload = events.map((e) => JSON.parse(e.payload)).find((p) => p.threadId === th.id);
    expect(payload).toMatchObject({
      communityId: th.community.id,
      authorId: member.id,
      mentionedUserIds: [outsider.id],
    });
  });

  it('rejects bad input with a coded error naming the field', async () => {
    const res = await call('POST', '/communities/runners/threads', { title: '', body: 'x' }, member);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/title/);
    const badTag = await call(
      'POST',
      '/communities/runners/threads',
      { title: 'x', body: 'x', tags: ['no spaces'] },
      member,
    );
    expect(badTag.status).toBe(400);
    expect(badTag.body.error.message).toMatch(/tags/);
    const outsiderPost = await call(
      'POST',
      '/communities/runners/threads',
      { title: 'x', body: 'x' },
      outsider,
    );
    expect(outsiderPost.status).toBe(403);
    expect(outsiderPost.body.error.code).toBe('NOT_A_MEMBER');
  });

  it('nests comments in tree order and refuses bad parents', async () => {
    const th = await newThread();
    const c = async (body: string, parentId?: number, user = member) => {
      const res = await call('POST', `/threads/${th.id}/comments`, { body, parentId }, user);
      expect(res.status).toBe(201);
      return res.body;
    };
    const a = await c('A');
    const b = await c('B');
    const a1 = await c('A1', a.id, mod);
    const a1x = await c('A1x', a1.id);
    const a2 = await c('A2', a.id);
    const list = await call('GET', `/threads/${th.id}/comments`);
    expect(list.body.items.map((x: { body: string }) => x.body)).toEqual(['A', 'A1', 'A1x', 'A2', 'B']);
    expect(list.body.items.map((x: { depth: number }) => x.depth)).toEqual([0, 1, 2, 1, 0]);
    expect(a1x.parentId).toBe(a1.id);
    expect(a2.parentId).toBe(a.id);
    expect(b.parentId).toBeNull();
    // Paging through the tree returns each comment once, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/threads/${th.id}/comments?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call('GET', url);
      seen.push(...page.body.items.map((x: { body: string }) => x.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['A', 'A1', 'A1x', 'A2', 'B']);
    expect((await call('GET', `/threads/${th.id}`)).body.commentCount).toBe(5);

    const other = await newThread();
    const wrongParent = await call(
      'POST',
      `/threads/${other.id}/comments`,
      { body: 'x', parentId: a.id },
      member,
    );
    expect(wrongParent.status).toBe(400);
    expect(wrongParent.body.error.message).toMatch(/parentId/);
  });

  it('limits nesting depth', async () => {
    const th = await newThread();
    let parentId: number | undefined;
    for (let depth = 0; depth <= 24; depth++) {
      const res = await call('POST', `/threads/${th.id}/comments`, { body: `d${depth}`, parentId }, member);
      expect(res.status).toBe(201);
      parentId = res.body.id;
    }
    const tooDeep = await call('POST', `/threads/${th.id}/comments`, { body: 'deeper', parentId }, member);
    expect(tooDeep.status).toBe(409);
    expect(tooDeep.body.error.code).toBe('COMMENT_TOO_DEEP');
  });

  it('keeps an edit history and re-parses mentions on edit', async () => {
    const th = await newThread('First title', 'First body');
    t.clock.advance(60_000);
    const edited = await call(
      'PATCH',
      `/threads/${th.id}`,
      { title: 'Second title', body: 'Now with @c_mod #edited' },
      member,
    );
    expect(edited.status).toBe(200);
    expect(edited.body.title).toBe('Second title');
    expect(edited.body.editedAt).not.toBeNull();
    expect(edited.body.mentions).toEqual(['c_mod']);
    expect(edited.body.tags).toContain('edited');
    const revs = await call('GET', `/threads/${th.id}/revisions`);
    expect(revs.body.items).toHaveLength(1);
    expect(revs.body.items[0]).toMatchObject({
      title: 'First title',
      body: 'First body',
      editedBy: { username: 'c_member' },
    });
    const ev = await t.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'content.thread_edited')
      .execute();
    expect(
      ev.map((e) => JSON.parse(e.payload)).find((p) => p.threadId === th.id).newMentionedUserIds,
    ).toEqual([mod.id]);

    const cm = (await call('POST', `/threads/${th.id}/comments`, { body: 'v1' }, member)).body;
    const ce = await call('PATCH', `/comments/${cm.id}`, { body: 'v2' }, member);
    expect(ce.body.body).toBe('v2');
    expect(
      (await call('GET', `/comments/${cm.id}/revisions`)).body.items.map((r: { body: string }) => r.body),
    ).toEqual(['v1']);
    const notYours = await call(
      'PATCH',
      `/comments/${cm.id}`,
      { body: 'hijack' },
      owner === mod ? member : outsider,
    );
    expect(notYours.status).toBe(403);
  });

  it('soft-deletes comments (replies survive) and threads (who and when kept)', async () => {
    const th = await newThread();
    const parent = (await call('POST', `/threads/${th.id}/comments`, { body: 'parent words' }, member)).body;
    const reply = (
      await call('POST', `/threads/${th.id}/comments`, { body: 'reply', parentId: parent.id }, mod)
    ).body;
    expect((await call('DELETE', `/comments/${parent.id}`, undefined, member)).status).toBe(200);
    const list = (await call('GET', `/threads/${th.id}/comments`)).body.items;
    expect(list[0]).toMatchObject({ id: parent.id, deleted: true, body: null, bodyHtml: null });
    expect(list[1]).toMatchObject({ id: reply.id, body: 'reply', deleted: false });
    const row = await t.db
      .selectFrom('comments')
      .selectAll()
      .where('id', '=', parent.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_by).toBe(member.id);
    expect(row.body).toBe('parent words');
    const replyToDeleted = await call(
      'POST',
      `/threads/${th.id}/comments`,
      { body: 'x', parentId: parent.id },
      member,
    );
    expect(replyToDeleted.body.error.code).toBe('CONTENT_DELETED');
    expect((await call('GET', `/threads/${th.id}`)).body.commentCount).toBe(1);
    expect((await call('GET', `/comments/${parent.id}/revisions`, undefined, member)).status).toBe(404);

    expect((await call('DELETE', `/threads/${th.id}`, undefined, mod)).status).toBe(200);
    expect((await call('GET', `/threads/${th.id}`, undefined, member)).status).toBe(404);
    const asMod = await call('GET', `/threads/${th.id}`, undefined, mod);
    expect(asMod.body.deleted).toBe(true);
    const listed = (await call('GET', '/communities/runners/threads?sort=new&limit=100')).body.items;
    expect(listed.some((x: { id: number }) => x.id === th.id)).toBe(false);
    const trow = await t.db
      .selectFrom('threads')
      .select(['deleted_by', 'deleted_at'])
      .where('id', '=', th.id)
      .executeTakeFirstOrThrow();
    expect(trow.deleted_by).toBe(mod.id);
    expect(trow.deleted_at).toBe(t.clock.now());
  });

  it('locks and pins threads (moderators only)', async () => {
    const th = await newThread('Pin me');
    expect((await call('PATCH', `/threads/${th.id}`, { locked: true }, member)).status).toBe(403);
    const locked = await call('PATCH', `/threads/${th.id}`, { locked: true, pinned: true }, mod);
    expect(locked.body).toMatchObject({ locked: true, pinned: true });
    const res = await call('POST', `/threads/${th.id}/comments`, { body: 'late' }, member);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('THREAD_LOCKED');
    expect((await call('PATCH', `/threads/${th.id}`, { body: 'edit' }, member)).body.error.code).toBe(
      'THREAD_LOCKED',
    );
    expect((await call('POST', `/threads/${th.id}/comments`, { body: 'mod note' }, mod)).status).toBe(201);
    const list = await call('GET', '/communities/runners/threads?limit=1');
    expect(list.body.pinned.map((x: { id: number }) => x.id)).toContain(th.id);
    const page2 = await call('GET', `/communities/runners/threads?limit=1&cursor=${list.body.nextCursor}`);
    expect(page2.body.pinned).toEqual([]);
  });

  it('keeps one reaction per member, scores downvotes against, and updates the stored hot rank', async () => {
    const th = await newThread('React to me');
    const r1 = await call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, member);
    expect(r1.body).toEqual({ score: 1, reactionCounts: { like: 1 }, myReaction: 'like' });
    await call('POST', `/threads/${th.id}/reactions`, { kind: 'love' }, mod);
    const changed = await call('POST', `/threads/${th.id}/reactions`, { kind: 'insightful' }, member);
    expect(changed.body).toEqual({
      score: 2,
      reactionCounts: { love: 1, insightful: 1 },
      myReaction: 'insightful',
    });
    const down = await call('POST', `/threads/${th.id}/reactions`, { kind: 'downvote' }, owner);
    expect(down.body.score).toBe(1);
    expect((await call('POST', `/threads/${th.id}/reactions`, { kind: 'angry' }, owner)).status).toBe(400);
    expect(
      (await call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, outsider)).body.error.code,
    ).toBe('NOT_A_MEMBER');
    const removed = await call('DELETE', `/threads/${th.id}/reactions`, undefined, owner);
    expect(removed.body).toEqual({ score: 2, reactionCounts: { love: 1, insightful: 1 }, myReaction: null });
    const view = await call('GET', `/threads/${th.id}`, undefined, member);
    expect(view.body.myReaction).toBe('insightful');
    const row = await t.db
      .selectFrom('threads')
      .select(['hot_rank', 'created_at'])
      .where('id', '=', th.id)
      .executeTakeFirstOrThrow();
    expect(row.hot_rank).toBeCloseTo(hotRank(2, row.created_at, t.clock.now()), 12);

    const cm = (await call('POST', `/threads/${th.id}/comments`, { body: 'c' }, mod)).body;
    const cr = await call('POST', `/comments/${cm.id}/reactions`, { kind: 'funny' }, member);
    expect(cr.body).toEqual({ score: 1, reactionCounts: { funny: 1 }, myReaction: 'funny' });
    expect(
      (await call('GET', `/threads/${th.id}/comments`, undefined, member)).body.items[0].myReaction,
    ).toBe('funny');
  });

  it('counts concurrent reactions exactly', async () => {
    const th = await newThread('Concurrent');
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => createUser(t.app, `conc_${i}`)));
    for (const u of users) await call('POST', '/communities/runners/join', { acceptGuidelines: true }, u);
    await Promise.all(users.map((u) => call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, u)));
    expect((await call('GET', `/threads/${th.id}`)).body.reactionCounts).toEqual({ like: 6 });
  });
});

describe('content: sorted lists and the hot-rank job', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  const fans: TestUser[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    owner = await createUser(t.app, 'sort_owner');
    await call('POST', '/communities', { slug: 'sorting', name: 'Sorting' }, owner);
    for (let i = 0; i < 4; i++) {
      const u = await createUser(t.app, `fan_${i}`);
      await call('POST', '/communities/sorting/join', {}, u);
      fans.push(u);
    }
  });
  afterAll(async () => t.close());

  it('sorts by new, top (per period) and hot, pages without gaps or repeats, and filters by tag', async () => {
    const made: { id: number; title: string }[] = [];
    // 12 threads, one per 10 hours going forward; thread i gets (i % 5) likes.
    const start = t.clock.now();
    for (let i = 0; i < 12; i++) {
      t.clock.set(start + i * 10 * HOUR);
      const th = (
        await call(
          'POST',
          '/communities/sorting/threads',
          { title: `T${i}`, body: i % 3 === 0 ? '#three' : 'x' },
          owner,
        )
      ).body;
      for (let k = 0; k < i % 5; k++)
        await call('POST', `/threads/${th.id}/reactions`, { kind: 'like' }, fans[k]);
      made.push(th);
    }
    t.clock.set(start + 12 * 10 * HOUR);

    const titles = async (qs: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          'GET',
          `/communities/sorting/threads?${qs}&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        out.push(...res.body.items.map((x: { title: string }) => x.title));
        cursor = res.body.nextCursor;
      } while (cursor);
      return out;
    };
    expect(await titles('sort=new')).toEqual(made.map((m) => m.title).reverse());
    const top = await titles('sort=top&period=all');
    expect(top).toHaveLength(12);
    const scoreOf = (title: string) => Number(title.slice(1)) % 5;
    for (let i = 1; i < top.length; i++)
      expect(scoreOf(top[i - 1]!)).toBeGreaterThanOrEqual(scoreOf(top[i]!));
    // Past day: only threads created in the last 24 h (T10 at -20 h, T11 at -10 h).
    expect(await titles('sort=top&period=day')).toEqual(['T11', 'T10']);
    expect(await titles('sort=new&tag=three')).toEqual(['T9', 'T6', 'T3', 'T0']);
    expect(await titles('sort=new&tag=unknown')).toEqual([]);

    // The stored hot rank is what was computed at the last write; the job refreshes it to now.
    expect(await t.app.jobs.runNow('content.hot_ranks')).toBeGreaterThan(0);
    const rows = await t.db
      .selectFrom('threads')
      .select(['title', 'score', 'created_at', 'hot_rank'])
      .execute();
    for (const r of rows) expect(r.hot_rank).toBeCloseTo(hotRank(r.score, r.created_at, t.clock.now()), 9);
    const expectedHot = [...rows]
      .sort((a, b) => b.hot_rank - a.hot_rank || b.created_at - a.created_at)
      .map((r) => r.title);
    expect(await titles('sort=hot')).toEqual(expectedHot);

    // A week later every rank has decayed to 0 and hot falls back to newest first.
    t.clock.advance(8 * 24 * HOUR);
    await t.app.jobs.runNow('content.hot_ranks');
    const after = await t.db.selectFrom('threads').select('hot_rank').execute();
    expect(after.every((r) => r.hot_rank === 0)).toBe(true);
    expect(await titles('sort=hot')).toEqual(made.map((m) => m.title).reverse());
  });

  it('rejects a cursor from another list shape', async () => {
    const res = await call('GET', '/communities/sorting/threads?cursor=bm9wZQ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
  });
});
