import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { crudeStem, highlight } from './search.highlight.ts';
import { TermMatcher } from './search.match.ts';
import { rank } from './search.rank.ts';
import { parseTerms, search } from './search.service.ts';

describe('search helpers', () => {
  it('keeps only words, lower-cased, at most 8, so nothing reaches the query syntax', () => {
    expect(parseTerms('Gravel "AND" bikes* OR (NEAR) -x ^y')).toEqual([
      'gravel',
      'and',
      'bikes',
      'or',
      'near',
      'x',
      'y',
    ]);
    expect(parseTerms("' or 1=1 -- ; drop table")).toEqual(['or', '1', 'drop', 'table']);
    expect(parseTerms('Crème brûlée 東京 a a a')).toEqual(['crème', 'brûlée', '東京', 'a']);
    expect(parseTerms('"*:()&|!')).toEqual([]);
  });
  it('highlights stemmed and prefixed words, escapes everything, and cuts a passage around the matches', () => {
    expect(['riding', 'rides', 'ride', 'rider'].map(crudeStem)).toEqual(['rid', 'rid', 'rid', 'rid']);
    expect(highlight('<b>Riding</b> & **bold** rides', ['ride'])).toBe(
      '&lt;b&gt;<mark>Riding</mark>&lt;/b&gt; &amp; bold <mark>rides</mark>',
    );
    expect(highlight('Crème brûlée', ['creme'])).toBe('<mark>Crème</mark> brûlée');
    const long = `${'filler '.repeat(40)}the derailleur jammed ${'more '.repeat(40)}`;
    const passage = highlight(long, ['derailleur'], 10);
    expect(passage).toMatch(/^… .*<mark>derailleur<\/mark>.* …$/);
    expect(passage.split(' ').filter((w) => /\w/.test(w)).length).toBeLessThanOrEqual(10);
  });

  it('ranks by BM25F: a title match above body matches, more matches above fewer, then the newest', () => {
    const docs = [
      { id: 1, title: 'Road tyres', body: 'gravel once' },
      { id: 2, title: 'Gravel tyres', body: 'nothing' },
      { id: 3, title: 'Road tyres', body: 'gravel gravel gravel' },
      { id: 4, title: 'Road tyres', body: 'gravel once' },
    ];
    expect(rank(docs, new TermMatcher(['gravel'])).map((s) => s.doc.id)).toEqual([2, 3, 4, 1]);
    // Counting finds the same words as highlighting, in ASCII and in other text.
    const counts = [0, 0];
    const m = new TermMatcher(['ride', 'creme']);
    m.count('Riders ride on a road. Crème brûlée, CREMES', counts);
    expect(counts).toEqual([2, 2]);
    const ascii = [0, 0];
    m.count('Riders ride on a road. Creme, CREMES', ascii);
    expect(ascii).toEqual([2, 2]);
  });
});

describe('search', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;

  const post = async (slug: string, title: string, body: string, user = owner, tags: string[] = []) => {
    const res = await call('POST', `/communities/${slug}/threads`, { title, body, tags }, user);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    t.clock.advance(60_000);
    return res.body.id as number;
  };
  const comment = async (threadId: number, body: string, user = owner) => {
    const res = await call('POST', `/threads/${threadId}/comments`, { body }, user);
    expect(res.status).toBe(201);
    t.clock.advance(60_000);
    return res.body.id as number;
  };
  const find = async (query: string, user: TestUser | null = member) => {
    const res = await call('GET', `/search?${query}`, undefined, user);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const ids = async (query: string, user: TestUser | null = member) =>
    (await find(query, user)).items.map((i: { id: number }) => i.id);

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, member, outsider] = await createUsers(t.app, 'q_owner', 'q_member', 'q_outsider');
    const c = (body: object) => call('POST', '/communities', body, owner);
    expect(
      (await c({ slug: 'bikes', name: 'Bike Repair', description: 'Wheels, chains and derailleurs' })).status,
    ).toBe(201);
    expect(
      (await c({ slug: 'vault', name: 'Vault', description: 'Secret derailleur lab', visibility: 'private' }))
        .status,
    ).toBe(201);
    expect((await call('POST', '/communities/bikes/join', {}, member)).status).toBe(200);
    expect(
      (await call('POST', '/communities/vault/invites', { username: member.username }, owner)).status,
    ).toBe(200);
    expect((await call('POST', '/communities/vault/join', {}, member)).status).toBe(200);
    expect((await call('PATCH', '/me', { bio: 'Wheelbuilder and tubeless evangelist' }, member)).status).toBe(
      200,
    );
  });
  afterAll(async () => t.close());

  it('finds threads by stemmed words with highlighted title and snippet', async () => {
    const id = await post(
      'bikes',
      'Riding gravel after rain',
      'Mud clogs the derailleur; rinse it before riding home.',
      member,
      ['gravel'],
    );
    await post('bikes', 'Chain wax', 'Hot wax lasts longer than drip lube.');
    const res = await find('q=ride%20derailleur');
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).toMatchObject({
      type: 'thread',
      id,
      title: 'Riding gravel after rain',
      threadId: id,
      community: { slug: 'bikes', name: 'Bike Repair' },
      author: { username: member.username },
    });
    expect(res.items[0].titleHtml).toBe('<mark>Riding</mark> gravel after rain');
    expect(res.items[0].snippetHtml).toContain('<mark>derailleur</mark>');
    // The last word also matches as a prefix (search as you type).
    expect(await ids('q=chain%20wa')).toHaveLength(1);
    expect((await find('q=%22*%3A()')).items).toEqual([]);
  });

  it('never shows private content to outsiders, in any kind, and shows it to members', async () => {
    const secret = await post('vault', 'Prototype derailleur', 'Titanium cage, do not share.', owner);
    const reply = await comment(secret, 'The titanium cage flexes.', member);
    for (const user of [outsider, null]) {
      expect(await ids('q=titanium', user)).toEqual([]);
      expect(await ids('q=titanium&type=comments', user)).toEqual([]);
      expect(await ids('q=vault&type=communities', user)).toEqual([]);
      expect(await ids('q=derailleur&type=threads&community=vault', user)).toEqual([]);
    }
    expect(await ids('q=titanium')).toEqual([secret]);
    expect(await ids('q=titanium&type=comments')).toEqual([reply]);
    expect((await find('q=secret%20lab&type=communities')).items[0]).toMatchObject({
      type: 'community',
      title: 'Vault',
      community: { slug: 'vault' },
    });
    // Leaving the community ends access at once.
    expect((await call('POST', '/communities/vault/leave', {}, member)).status).toBe(200);
    expect(await ids('q=titanium')).toEqual([]);
    // A public community turned private disappears for outsiders the same way.
    const open = await post('bikes', 'Spoke tension', 'Pluck the spokes like a harp.', owner);
    expect(await ids('q=harp', outsider)).toEqual([open]);
    expect(
      (await call('PATCH', '/communities/bikes', { visibility: 'private', joinPolicy: 'invite' }, owner))
        .status,
    ).toBe(200);
    expect(await ids('q=harp', outsider)).toEqual([]);
    expect(await ids('q=harp', member)).toEqual([open]);
    expect(
      (await call('PATCH', '/communities/bikes', { visibility: 'public', joinPolicy: 'open' }, owner)).status,
    ).toBe(200);
  });

  it('never shows deleted content and follows edits, in the same transaction', async () => {
    const th = await post('bikes', 'Tubeless sealant', 'Latex sealant dries out in a few months.', member);
    const c1 = await comment(th, 'Sealant also plugs thorn holes.', owner);
    const c2 = await comment(th, 'My sealant froze in winter.', outsider === member ? owner : member);
    expect((await ids('q=sealant&type=comments')).sort()).toEqual([c1, c2].sort());
    expect((await call('DELETE', `/comments/${c1}`, undefined, owner)).status).toBe(200);
    expect(await ids('q=sealant&type=comments')).toEqual([c2]);
    expect((await call('PATCH', `/threads/${th}`, { body: 'Use plugs for big cuts.' }, member)).status).toBe(
      200,
    );
    expect(await ids('q=latex')).toEqual([]);
    expect(await ids('q=plugs')).toEqual([th]);
    expect((await call('DELETE', `/threads/${th}`, undefined, owner)).status).toBe(200);
    // Deleted for everyone, moderators included; its comments go with it.
    expect(await ids('q=plugs', owner)).toEqual([]);
    expect(await ids('q=sealant&type=comments', owner)).toEqual([]);
  });

  it('filters by community, author, tag and dates, and says which filters do not apply', async () => {
    const a = await post('bikes', 'Brake pads wear', 'Organic pads wear fast in the wet.', member, [
      'brakes',
    ]);
    const startB = new Date(t.clock.now()).toISOString();
    const beforeB = new Date(t.clock.now() - 1).toISOString();
    const b = await post('bikes', 'Brake bleed', 'Bleed the brakes yearly; pads last longer.', owner, [
      'maintenance',
    ]);
    expect((await ids('q=pads')).sort()).toEqual([a, b].sort());
    expect(await ids(`q=pads&author=${member.username.toUpperCase()}`)).toEqual([a]);
    expect(await ids('q=pads&tag=%23Maintenance')).toEqual([b]);
    expect(await ids(`q=pads&from=${encodeURIComponent(startB)}`)).toEqual([b]);
    expect(await ids(`q=pads&to=${encodeURIComponent(beforeB)}`)).toEqual([a]);
    const day = startB.slice(0, 10);
    expect((await ids(`q=pads&from=${day}&to=${day}`)).sort()).toEqual([a, b].sort());
    expect(await ids('q=pads&community=nowhere')).toEqual([]);
    for (const [query, field] of [
      ['q=x&type=members&tag=a', 'tag'],
      ['q=x&type=communities&author=a', 'author'],
      ['q=x&from=yesterday', 'from'],
      ['q=x&tag=not%20a%20tag', 'tag'],
    ]) {
      const res = await call('GET', `/search?${query}`, undefined, member);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
  });

  it('finds members by name prefix and bio, and escapes what people wrote', async () => {
    const res = await find('q=tubeless&type=members');
    expect(res.items.map((i: { id: number }) => i.id)).toEqual([member.id]);
    expect(res.items[0]).toMatchObject({
      type: 'member',
      author: { username: member.username },
      community: null,
    });
    expect(await ids('q=q_memb&type=members')).toEqual([member.id]);
    await post(
      'bikes',
      'Payload <img src=x onerror=alert(1)>',
      'zebracake <script>alert(1)</script> zebracake',
    );
    const hit = (await find('q=zebracake')).items[0];
    // Only <mark> tags come out (PostgreSQL's headline drops the tags, SQLite's keeps them escaped).
    for (const html of [hit.snippetHtml, hit.titleHtml]) expect(html).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.snippetHtml).toContain('<mark>zebracake</mark>');
    expect(hit.title).toBe('Payload <img src=x onerror=alert(1)>');
  });

  it('matches a long last word as a prefix of whole words only', async () => {
    // SQLite reads a word longer than its prefix indexes by its first 6 letters, then checks.
    const hanger = await post('bikes', 'Hanger alignment', 'A bent derailleur hanger shifts badly.');
    const jump = await post('bikes', 'Chain jumps', 'A derailment on every climb.');
    const found = await ids('q=derailleu');
    expect(found).toContain(hanger);
    expect(found).not.toContain(jump);
    expect(await ids('q=hanger%20derailleu')).toEqual([hanger]);
  });

  it('pages by relevance (offset) and by newest (keyset) without repeats', async () => {
    const made: number[] = [];
    for (let i = 0; i < 7; i++)
      made.push(await post('bikes', `Saddle ${i}`, `saddle height ${'saddle '.repeat(i)}`));
    for (const sort of ['relevance', 'new']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const body = await find(`q=saddle&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...body.items.map((i: { id: number }) => i.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen.slice().sort(), sort).toEqual(made.slice().sort());
      if (sort === 'new') expect(seen).toEqual(made.slice().reverse());
      // Relevance: the most "saddle" first (bm25 / ts_rank_cd both reward frequency).
      else expect(seen[0]).toBe(made[6]);
    }
    // With blocks of 3, relevance ranks the 3 newest matches first, then the older ones.
    const viewer = { userId: member.id, username: member.username, isAdmin: false, via: 'token' as const };
    for (const sort of ['relevance', 'new'] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const res = await search(t.db, viewer, { q: 'saddle', type: 'threads', sort, limit: 2, cursor }, 3);
        seen.push(...res.items.map((i) => i.id));
        cursor = res.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.slice().sort(), `windowed ${sort}`).toEqual(made.slice().sort());
      expect(new Set(seen.slice(0, 3)), sort).toEqual(new Set(made.slice(4)));
    }
    const bad = await call('GET', '/search?q=saddle&sort=new&cursor=WzFd', undefined, member);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
  });
});
