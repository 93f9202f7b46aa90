import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';
import { HOUR } from '../../platform/clock.ts';

describe('polls in threads', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let author: TestUser;
  let voters: TestUser[];
  let outsider: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, author, outsider] = await createUsers(t.app, 'p_owner', 'p_author', 'p_out');
    voters = await createUsers(t.app, ...Array.from({ length: 6 }, (_, i) => `p_voter${i}`));
    await call('POST', '/communities', { slug: 'pollers', name: 'Pollers' }, owner);
    await call('POST', '/communities', { slug: 'hushed', name: 'Hushed', visibility: 'private' }, owner);
    for (const u of [author, ...voters]) await call('POST', '/communities/pollers/join', {}, u);
  });
  afterAll(async () => t?.close());

  const threadWithPoll = async (poll: object, slug = 'pollers', user = author) => {
    const th = await call(
      'POST',
      `/communities/${slug}/threads`,
      { title: 'Where next?', body: 'Vote!' },
      user,
    );
    expect(th.status).toBe(201);
    const res = await call('POST', `/threads/${th.body.id}/poll`, poll, user);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { threadId: th.body.id as number, poll: res.body.poll };
  };

  it('hides results until the viewer voted, counts one ballot per member even under parallel votes', async () => {
    const { threadId, poll } = await threadWithPoll({
      question: 'Route?',
      options: ['Hills', 'Lake', 'Forest'],
    });
    expect(poll).toMatchObject({ maxChoices: 1, resultsVisible: false, voterCount: 0, canVote: true });
    expect(poll.options.map((o: any) => o.votes)).toEqual([null, null, null]);
    const [hills, lake] = poll.options.map((o: any) => o.id);
    const [a, b] = voters as [TestUser, TestUser];
    // The same member voting five times at once: exactly one ballot lands.
    const tries = await Promise.all(
      [hills, lake, hills, lake, hills].map((id) =>
        call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [id] }, a),
      ),
    );
    expect(tries.filter((r) => r.status === 200)).toHaveLength(1);
    expect(tries.filter((r) => r.body.error?.code === 'ALREADY_VOTED')).toHaveLength(4);
    const mine = (await call('GET', `/threads/${threadId}/poll`, undefined, a)).body.poll;
    expect(mine.resultsVisible).toBe(true);
    expect(mine.options.reduce((s: number, o: any) => s + o.votes, 0)).toBe(1);
    expect(mine.canVote).toBe(false);
    // Someone who did not vote still sees no counts (also anonymously).
    expect(
      (await call('GET', `/threads/${threadId}/poll`, undefined, b)).body.poll.options[0].votes,
    ).toBeNull();
    expect((await call('GET', `/threads/${threadId}/poll`)).body.poll).toMatchObject({
      voterCount: 1,
      resultsVisible: false,
    });
    // Single choice refuses two options; unknown options are refused with the field named.
    const two = await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [hills, lake] }, b);
    expect(two.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'optionIds' });
    const other = await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [999999] }, b);
    expect(other.body.error.field).toBe('optionIds');
    // Outsiders of a public community may read but not vote.
    const out = await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [hills] }, outsider);
    expect(out.body.error.code).toBe('NOT_A_MEMBER');
    // Parallel votes of different members all count.
    await Promise.all(
      voters.slice(1).map((u) => call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [lake] }, u)),
    );
    const final = (await call('GET', `/threads/${threadId}/poll`, undefined, b)).body.poll;
    expect(final.voterCount).toBe(6);
    expect(final.options.find((o: any) => o.id === lake).votes).toBe(
      tries.find((r) => r.status === 200)!.body.poll.myVote[0] === lake ? 6 : 5,
    );
  });

  it('supports multiple choice up to maxChoices, and shows results to all once closed', async () => {
    const { threadId, poll } = await threadWithPoll({
      question: 'Which days?',
      options: ['Mon', 'Wed', 'Fri', 'Sun'],
      maxChoices: 2,
      closesAt: new Date(t.clock.now() + HOUR).toISOString(),
    });
    const ids = poll.options.map((o: any) => o.id);
    const [a, b] = voters as [TestUser, TestUser];
    const three = await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: ids.slice(0, 3) }, a);
    expect(three.body.error.field).toBe('optionIds');
    const ok = await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [ids[0], ids[2]] }, a);
    expect(ok.body.poll.myVote).toEqual([ids[0], ids[2]].sort((x, y) => x - y));
    expect(ok.body.poll.options.map((o: any) => o.votes)).toEqual([1, 0, 1, 0]);
    t.clock.advance(2 * HOUR);
    const closed = (await call('GET', `/threads/${threadId}/poll`)).body.poll;
    expect(closed).toMatchObject({ closed: true, resultsVisible: true, canVote: false });
    expect(closed.options.map((o: any) => o.votes)).toEqual([1, 0, 1, 0]);
    expect(
      (await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [ids[1]] }, b)).body.error.code,
    ).toBe('POLL_CLOSED');
    t.clock.advance(-2 * HOUR);
  });

  it('lets only the author attach a poll, replace it before the first vote, and checks its shape', async () => {
    const th = await call('POST', '/communities/pollers/threads', { title: 'Q', body: 'B' }, author);
    const id = th.body.id;
    const body = { question: 'A or B?', options: ['A', 'B'] };
    expect((await call('POST', `/threads/${id}/poll`, body, voters[0])).body.error.code).toBe('FORBIDDEN');
    expect(
      (await call('POST', `/threads/${id}/poll`, { ...body, maxChoices: 3 }, author)).body.error.field,
    ).toBe('maxChoices');
    expect(
      (await call('POST', `/threads/${id}/poll`, { ...body, options: ['A', 'a'] }, author)).body.error.field,
    ).toBe('options');
    const past = await call(
      'POST',
      `/threads/${id}/poll`,
      { ...body, closesAt: new Date(t.clock.now() - 1).toISOString() },
      author,
    );
    expect(past.body.error.field).toBe('closesAt');
    expect((await call('GET', `/threads/${id}/poll`)).body).toEqual({ poll: null });
    await call('POST', `/threads/${id}/poll`, body, author);
    const replaced = await call(
      'POST',
      `/threads/${id}/poll`,
      { question: 'A, B or C?', options: ['A', 'B', 'C'] },
      author,
    );
    expect(replaced.body.poll.options).toHaveLength(3);
    await call(
      'POST',
      `/threads/${id}/poll/votes`,
      { optionIds: [replaced.body.poll.options[0].id] },
      voters[0],
    );
    expect((await call('POST', `/threads/${id}/poll`, body, author)).body.error.code).toBe('POLL_HAS_VOTES');
  });

  it("keeps a private community's poll invisible to outsiders (404 like the thread)", async () => {
    const { threadId } = await threadWithPoll(
      { question: 'Secret?', options: ['Yes', 'No'] },
      'hushed',
      owner,
    );
    expect((await call('GET', `/threads/${threadId}/poll`, undefined, outsider)).body.error.code).toBe(
      'THREAD_NOT_FOUND',
    );
    expect((await call('GET', `/threads/${threadId}/poll`)).status).toBe(404);
    const vote = await call('POST', `/threads/${threadId}/poll/votes`, { optionIds: [1] }, outsider);
    expect(vote.body.error.code).toBe('THREAD_NOT_FOUND');
  });
});
