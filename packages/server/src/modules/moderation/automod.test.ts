import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileWord,
  countImages,
  countLinks,
  countMentions,
  matchWords,
  unsafeRegexReason,
} from './automod.ts';
import {
  comment,
  createScene,
  fails,
  must,
  newCommunity,
  type Scene,
  setTrust,
  thread,
} from './moderation.fixtures.ts';

const word = (
  pattern: string,
  action: 'block' | 'require_approval' | 'flag' | 'censor',
  o: { regex?: boolean; wholeWord?: boolean } = {},
) => ({
  id: 1,
  pattern,
  regex: o.regex ?? false,
  wholeWord: o.wholeWord ?? !o.regex,
  action,
  replacement: null,
});

describe('watched words (pure)', () => {
  it('matches whole words by Unicode letters, or anywhere when asked', () => {
    const whole = compileWord(word('ass', 'block'));
    expect(whole.test('what an ass!')).toBe(true);
    whole.lastIndex = 0;
    expect(whole.test('a classic assessment')).toBe(false);
    const inside = compileWord(word('ass', 'block', { wholeWord: false }));
    expect(inside.test('a classic')).toBe(true);
    expect(compileWord(word('café', 'block')).test('Le CAFÉ noir')).toBe(true);
  });

  it('supports * wildcards in words and regular expressions, refusing catastrophic ones', () => {
    expect(compileWord(word('spam*', 'flag')).test('spammers everywhere')).toBe(true);
    expect(compileWord(word('b(u|oo)y\\s+now', 'flag', { regex: true })).test('BOOY   NOW')).toBe(true);
    expect(unsafeRegexReason('(a+)+$')).toMatch(/nested/);
    expect(unsafeRegexReason('(\\w*)*x')).toMatch(/nested/);
    expect(unsafeRegexReason('(x)\\1')).toMatch(/backreference/);
    expect(unsafeRegexReason('(ab|cd)+e')).toBeNull();
    expect(() => compileWord(word('(a+)+', 'block', { regex: true }))).toThrow(/nested/);
    expect(() => compileWord(word('([a-', 'block', { regex: true }))).toThrow(/valid/);
    expect(() => compileWord(word('a*', 'block', { regex: true }))).toThrow(/empty/);
  });

  it('sorts matches by action and censors with ■ per letter', () => {
    const m = matchWords('Darn this heck of a thing, BUY NOW', [
      word('darn', 'censor'),
      word('heck', 'flag'),
      word('buy now', 'require_approval'),
    ]);
    expect(m.block).toBeNull();
    expect(m.flag.map((w) => w.pattern)).toEqual(['heck']);
    expect(m.requireApproval.map((w) => w.pattern)).toEqual(['buy now']);
    expect(m.censor('Darn, darned darn')).toBe('■■■■, darned ■■■■');
  });

  it('counts links (not images), images and distinct mentions', () => {
    const text =
      'see https://a.example/x and www.b.example ![pic](https://img.example/p.png) @Ann @ann @bob_1 mail@x.org';
    expect(countLinks(text)).toBe(2);
    expect(countImages(text)).toBe(1);
    expect(countMentions(text)).toBe(2);
  });
});

describe('automatic moderation in the write path', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene({ automod: true });
  });
  afterAll(async () => s?.t.close());
  const addWord = (body: object) =>
    s.call('POST', `/communities/${s.slug}/moderation/watched-words`, body, s.mod);

  it('lets moderators manage watched words; refuses unsafe patterns', async () => {
    await must(addWord({ pattern: 'x', action: 'block' }), 201);
    await fails(addWord({ pattern: '(a+)+', regex: true, action: 'block' }), 400, 'VALIDATION_FAILED');
    await fails(
      s.call(
        'POST',
        `/communities/${s.slug}/moderation/watched-words`,
        { pattern: 'y', action: 'block' },
        s.alice,
      ),
      403,
      'FORBIDDEN',
    );
    const list = await must(
      s.call('GET', `/communities/${s.slug}/moderation/watched-words`, undefined, s.mod),
    );
    expect(list.body.items.map((w: { pattern: string }) => w.pattern)).toEqual(['x']);
    await must(
      s.call(
        'DELETE',
        `/communities/${s.slug}/moderation/watched-words/${list.body.items[0].id}`,
        undefined,
        s.mod,
      ),
    );
    await fails(
      s.call(
        'DELETE',
        `/communities/${s.slug}/moderation/watched-words/${list.body.items[0].id}`,
        undefined,
        s.mod,
      ),
      404,
      'WATCHED_WORD_NOT_FOUND',
    );
  });

  it('blocks, censors, holds and flags by watched words', async () => {
    await must(addWord({ pattern: 'slur', action: 'block' }), 201);
    await must(addWord({ pattern: 'darn', action: 'censor' }), 201);
    await must(addWord({ pattern: 'crypto', action: 'require_approval' }), 201);
    await must(addWord({ pattern: 'politics', action: 'flag' }), 201);
    await setTrust(s, s.alice, 1);
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'A slur', body: 'text' }, s.alice),
      422,
      'CONTENT_BLOCKED',
    );
    const censored = await thread(s, s.alice, 'Darn it', 'Well darn.');
    expect(censored).toMatchObject({ title: '■■■■ it', body: 'Well ■■■■.', pending: false });
    const held = await thread(s, s.alice, 'Crypto tips', 'my thoughts on crypto');
    expect(held.pending).toBe(true);
    const flagged = await thread(s, s.alice, 'Politics', 'a politics chat');
    expect(flagged.pending).toBe(false);
    const q = await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod));
    const byTarget = Object.fromEntries(
      q.body.items.map((i: { target: { id: number } }) => [i.target.id, i]),
    );
    expect(byTarget[held.id]).toMatchObject({
      held: true,
      reasons: { watched_word: 1 },
      reports: [{ source: 'automod', reporter: null }],
    });
    expect(byTarget[flagged.id]).toMatchObject({ held: false, reasons: { watched_word: 1 } });
    // An edit is censored and can be blocked, never held.
    const edited = await must(s.call('PATCH', `/threads/${flagged.id}`, { body: 'darn crypto' }, s.alice));
    expect(edited.body).toMatchObject({ body: '■■■■ crypto', pending: false });
    await fails(
      s.call('PATCH', `/threads/${flagged.id}`, { body: 'a slur' }, s.alice),
      422,
      'CONTENT_BLOCKED',
    );
  });

  it('keeps held content invisible to everyone but its author and moderators until approved', async () => {
    const held = await thread(s, s.alice, 'More crypto', 'held words about crypto');
    const list = (u: typeof s.bob | null) =>
      s.call('GET', `/communities/${s.slug}/threads?sort=new`, undefined, u);
    const ids = async (u: typeof s.bob | null) =>
      (await must(list(u))).body.items.map((t: { id: number }) => t.id);
    expect(await ids(s.bob)).not.toContain(held.id);
    expect(await ids(null)).not.toContain(held.id);
    expect(await ids(s.alice)).not.toContain(held.id); // lists are for published threads; the author opens it directly
    await fails(s.call('GET', `/threads/${held.id}`, undefined, s.bob), 404, 'THREAD_NOT_FOUND');
    await fails(s.call('GET', `/threads/${held.id}`), 404, 'THREAD_NOT_FOUND');
    await fails(
      s.call('POST', `/threads/${held.id}/reactions`, { kind: 'like' }, s.bob),
      404,
      'THREAD_NOT_FOUND',
    );
    await fails(
      s.call('POST', '/reports', { targetType: 'thread', targetId: held.id, reason: 'spam' }, s.bob),
      404,
      'THREAD_NOT_FOUND',
    );
    expect((await must(s.call('GET', `/threads/${held.id}`, undefined, s.alice))).body.pending).toBe(true);
    expect((await must(s.call('GET', `/threads/${held.id}`, undefined, s.mod))).body.pending).toBe(true);
    // Not in search either (migration 0002 indexes by trigger; held rows are taken out).
    const docs = await s.t.db
      .selectFrom('search_docs')
      .select('ref_id')
      .where('kind', '=', 'thread')
      .where('ref_id', '=', held.id)
      .execute();
    expect(docs).toHaveLength(0);
    const community = async () => (await must(s.call('GET', `/communities/${s.slug}`))).body.threadCount;
    await s.t.app.events.drain();
    const countBefore = await community();

    const item = (
      await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod))
    ).body.items.find((i: { target: { id: number } }) => i.target.id === held.id);
    await must(s.call('POST', `/moderation/items/${item.id}/actions`, { action: 'approve' }, s.mod));
    await s.t.app.events.drain();
    expect(await ids(s.bob)).toContain(held.id);
    expect((await must(s.call('GET', `/threads/${held.id}`, undefined, s.bob))).body.pending).toBe(false);
    expect(await community()).toBe(countBefore + 1);
    const indexed = await s.t.db
      .selectFrom('search_docs')
      .select('ref_id')
      .where('kind', '=', 'thread')
      .where('ref_id', '=', held.id)
      .execute();
    expect(indexed).toHaveLength(1);
  });

  it('holds comments too: uncounted and unlisted until approved; rejecting removes them', async () => {
    const t = await thread(s, s.mod, 'Open', 'talk');
    const c = await comment(s, s.alice, t.id, 'psst, crypto');
    expect(c.pending).toBe(true);
    const listed = async (u: typeof s.bob) =>
      (await must(s.call('GET', `/threads/${t.id}/comments`, undefined, u))).body.items.map(
        (x: { id: number }) => x.id,
      );
    expect(await listed(s.bob)).not.toContain(c.id);
    expect(await listed(s.alice)).toContain(c.id);
    expect(await listed(s.mod)).toContain(c.id);
    await fails(s.call('GET', `/comments/${c.id}`, undefined, s.bob), 404, 'COMMENT_NOT_FOUND');
    expect((await must(s.call('GET', `/threads/${t.id}`))).body.commentCount).toBe(0);
    const item = (
      await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod))
    ).body.items.find(
      (i: { target: { id: number; type: string } }) => i.target.type === 'comment' && i.target.id === c.id,
    );
    await must(
      s.call(
        'POST',
        `/moderation/items/${item.id}/actions`,
        { action: 'warn', reason: 'No crypto talk here' },
        s.mod,
      ),
    );
    // Rejected: removed (a deleted placeholder for its author), still nothing for anyone else.
    const own = (await must(s.call('GET', `/threads/${t.id}/comments`, undefined, s.alice))).body.items;
    expect(own.find((x: { id: number }) => x.id === c.id)).toMatchObject({ deleted: true, body: null });
    expect(await listed(s.bob)).not.toContain(c.id);
    const mine = (await must(s.call('GET', '/me/moderation', undefined, s.alice))).body.items.map(
      (i: { action: string }) => i.action,
    );
    expect(mine.slice(0, 2).sort()).toEqual(['remove', 'warn']);
    const ok = await comment(s, s.bob, t.id, 'a normal reply');
    await fails(
      s.call('POST', `/moderation/items/${item.id}/actions`, { action: 'approve' }, s.mod),
      409,
      'ALREADY_DECIDED',
    );
    expect(ok.pending).toBe(false);
    expect((await must(s.call('GET', `/threads/${t.id}`))).body.commentCount).toBe(1);
  });

  it('applies new-member limits: links, images, mentions, posts per hour', async () => {
    const slug = await newCommunity(s, s.owner, { members: [s.carol] });
    const post = (body: string, title = 'Title') =>
      s.call('POST', `/communities/${slug}/threads`, { title, body }, s.carol);
    await fails(post('https://a.example https://b.example https://c.example'), 403, 'TRUST_LEVEL_TOO_LOW');
    await fails(
      post('![a](https://i.example/a.png) ![b](https://i.example/b.png)'),
      403,
      'TRUST_LEVEL_TOO_LOW',
    );
    await fails(
      post(`@${s.alice.username} @${s.bob.username} @${s.mod.username}`),
      403,
      'TRUST_LEVEL_TOO_LOW',
    );
    for (let i = 0; i < 5; i++) {
      await must(post(`Post number ${i} about bicycles and gears`, `Post ${i}`), 201);
      s.t.clock.advance(61_000); // below the flood limit
    }
    const sixth = await fails(post('One more about bicycles', 'Sixth'), 429, 'RATE_LIMITED');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    // Trust level 1 lifts the new-member limits.
    await must(
      s.call('PATCH', `/communities/${slug}/members/${s.carol.username}/trust`, { level: 1 }, s.owner),
    );
    await must(post('https://a.example https://b.example https://c.example', 'Links'), 201);
  });

  it('stops floods and duplicates; holds the same text posted across communities', async () => {
    await setTrust(s, s.bob, 2);
    const post = (title: string, body: string, slug = s.slug) =>
      s.call('POST', `/communities/${slug}/threads`, { title, body }, s.bob);
    s.t.clock.advance(120_000);
    for (let i = 0; i < 5; i++) await must(post(`Quick ${i}`, `quick note number ${i}`), 201);
    await fails(post('Too fast', 'sixth in a minute'), 429, 'RATE_LIMITED');
    s.t.clock.advance(61_000);
    const text = 'Exactly the same words posted again and again';
    await must(post('First', text), 201);
    await fails(post('Second', text), 409, 'DUPLICATE_POST');
    const other1 = await newCommunity(s, s.owner, { members: [s.bob] });
    const other2 = await newCommunity(s, s.owner, { members: [s.bob] });
    const a = await must(post('Elsewhere', text, other1), 201);
    expect(a.body.pending).toBe(false);
    const b = await must(post('And here', text, other2), 201);
    expect(b.body.pending).toBe(true);
  });

  it('holds spam from low-trust members and only flags it from trusted ones', async () => {
    s.t.clock.advance(3_600_000);
    const spam = 'WIN a FREE prize!!! Call 0800 123 4567 now or txt WIN to 80082 to claim your £500 cash';
    const slug = await newCommunity(s, s.owner, { members: [s.carol, s.bob] });
    await must(
      s.call('PATCH', `/communities/${slug}/members/${s.carol.username}/trust`, { level: 1 }, s.owner),
    );
    const low = await must(
      s.call('POST', `/communities/${slug}/threads`, { title: 'Offer', body: spam }, s.carol),
      201,
    );
    expect(low.body.pending).toBe(true);
    await must(
      s.call('PATCH', `/communities/${slug}/members/${s.bob.username}/trust`, { level: 2 }, s.owner),
    );
    const high = await must(
      s.call('POST', `/communities/${slug}/threads`, { title: 'Offer', body: `${spam} today` }, s.bob),
      201,
    );
    expect(high.body.pending).toBe(false);
    const q = await must(s.call('GET', `/communities/${slug}/moderation/queue`, undefined, s.owner));
    const reasons = Object.fromEntries(
      q.body.items.map((i: { target: { id: number }; reasons: object; held: boolean }) => [
        i.target.id,
        [i.reasons, i.held],
      ]),
    );
    expect(reasons[low.body.id]).toEqual([{ spam: 1 }, true]);
    expect(reasons[high.body.id]).toEqual([{ spam: 1 }, false]);
    const tested = await must(
      s.call('POST', `/communities/${slug}/moderation/test`, { text: spam }, s.owner),
    );
    expect(tested.body.spamScore).toBeGreaterThan(0.9);
    // Ordinary discussion is left alone.
    const normal = await must(
      s.call(
        'POST',
        `/communities/${slug}/threads`,
        { title: 'Gears', body: 'Which cassette do you run for hilly rides? I use 11-32.' },
        s.carol,
      ),
      201,
    );
    expect(normal.body.pending).toBe(false);
  });

  it('exempts moderators from automatic moderation but not from watched-word censoring of others', async () => {
    const t = await must(
      s.call(
        'POST',
        `/communities/${s.slug}/threads`,
        { title: 'Mod post', body: 'crypto https://a.example https://b.example https://c.example' },
        s.mod,
      ),
      201,
    );
    expect(t.body.pending).toBe(false);
  });
});
