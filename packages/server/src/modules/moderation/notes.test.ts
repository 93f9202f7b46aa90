import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../../test/harness.ts';
import { createScene, fails, must, type Scene, setTrust, thread } from './moderation.fixtures.ts';
import { fitBridging, noteStatus, type Rating } from './notes.model.ts';

/**
 * Synthetic raters in two camps. Ten "history" notes establish who usually disagrees: camp A
 * finds the first five helpful and the last five not, camp B the opposite.
 */
function camps(size = 10) {
  const a = Array.from({ length: size }, (_, i) => i + 1);
  const b = Array.from({ length: size }, (_, i) => i + 101);
  const ratings: Rating[] = [];
  for (let note = 1; note <= 10; note++) {
    for (const rater of [...a, ...b]) ratings.push({ rater, note, value: note <= 5 === rater < 100 ? 1 : 0 });
  }
  return { a, b, ratings };
}

describe('bridging model (Community Notes matrix factorization)', () => {
  it('shows a note both camps find helpful and hides one only a single camp likes', () => {
    const { a, b, ratings } = camps();
    const rate = (note: number, raters: number[], value: number) => {
      for (const rater of raters) ratings.push({ rater, note, value });
    };
    rate(50, a, 1); // partisan: camp A yes, camp B no
    rate(50, b, 0);
    rate(51, a, 1); // partisan, and camp B never rated it
    rate(60, [...a, ...b], 1); // bridging: everyone yes
    rate(70, [...a, ...b], 0); // nobody finds it helpful
    const fit = fitBridging(ratings);
    const status = (id: number) => noteStatus(fit.notes.get(id), 10, 'needs_more_ratings');
    const p = (id: number) => fit.notes.get(id)!;
    // The partisan notes' agreement is explained by the factor, not the intercept.
    expect(Math.abs(p(50).factor)).toBeGreaterThan(0.5);
    expect(p(50).intercept).toBeLessThan(0.4);
    expect(status(50)).toBe('needs_more_ratings');
    expect(status(51)).toBe('needs_more_ratings');
    expect(p(60).intercept).toBeGreaterThanOrEqual(0.4);
    expect(Math.abs(p(60).factor)).toBeLessThan(0.5);
    expect(status(60)).toBe('helpful');
    expect(status(70)).toBe('not_helpful');
    // Raters of the two camps sit on opposite sides of the factor axis.
    expect(Math.sign(fit.raters.get(1)!.factor)).toBe(-Math.sign(fit.raters.get(101)!.factor));
  });

  it('needs 5 ratings, and keeps a Helpful note until its intercept drops 0.01 under 0.40', () => {
    expect(noteStatus({ intercept: 0.9, factor: 0 }, 4, 'needs_more_ratings')).toBe('needs_more_ratings');
    expect(noteStatus({ intercept: 0.395, factor: 0.1 }, 9, 'needs_more_ratings')).toBe('needs_more_ratings');
    expect(noteStatus({ intercept: 0.395, factor: 0.1 }, 9, 'helpful')).toBe('helpful');
    expect(noteStatus({ intercept: 0.385, factor: 0.1 }, 9, 'helpful')).toBe('needs_more_ratings');
    expect(noteStatus({ intercept: 0.6, factor: 0.55 }, 9, 'needs_more_ratings')).toBe('needs_more_ratings');
    expect(noteStatus({ intercept: -0.2, factor: 0.1 }, 9, 'needs_more_ratings')).toBe('not_helpful');
  });

  it('is deterministic for a given seed', () => {
    const { ratings } = camps(4);
    expect(fitBridging(ratings, { seed: 7 }).notes.get(1)).toEqual(
      fitBridging(ratings, { seed: 7 }).notes.get(1),
    );
  });
});

describe('context notes over the API', () => {
  let s: Scene;
  let campA: TestUser[];
  let campB: TestUser[];
  beforeAll(async () => {
    s = await createScene();
    const people = await Promise.all(Array.from({ length: 12 }, () => createUser(s.t.app)));
    for (const u of people)
      await must(s.call('POST', `/communities/${s.slug}/join`, { acceptGuidelines: true }, u));
    await Promise.all(people.map((u) => setTrust(s, u, 1)));
    campA = people.slice(0, 6);
    campB = people.slice(6);
  });
  afterAll(async () => s?.t.close());

  const write = (by: TestUser, threadId: number, body: string) =>
    s.call('POST', '/notes', { targetType: 'thread', targetId: threadId, body }, by);
  const rate = (noteId: number, by: TestUser, helpful: 'yes' | 'somewhat' | 'no') =>
    must(s.call('POST', `/notes/${noteId}/ratings`, { helpful }, by));

  it('lets trusted members (TL2) write notes and members (TL1) rate them', async () => {
    const t = await thread(s, s.bob, 'A claim', 'The moon is made of cheese');
    await fails(write(s.alice, t.id, 'Needs context'), 403, 'TRUST_LEVEL_TOO_LOW');
    await fails(write(s.outsider, t.id, 'Not a member'), 403, 'NOT_A_MEMBER');
    await setTrust(s, s.alice, 2);
    const n = await must(write(s.alice, t.id, 'Samples from Apollo show rock, not cheese.'), 201);
    expect(n.body).toMatchObject({
      status: 'needs_more_ratings',
      shown: false,
      author: s.alice.username,
      canRate: false,
    });
    await fails(write(s.alice, t.id, 'again'), 409, 'NOTE_EXISTS');
    await fails(s.call('POST', `/notes/${n.body.id}/ratings`, { helpful: 'yes' }, s.alice), 403, 'FORBIDDEN');
    // A note nobody may see yet is "not found" to everyone else, whatever they try with it.
    for (const who of [s.carol, s.outsider]) {
      await fails(
        s.call('POST', `/notes/${n.body.id}/ratings`, { helpful: 'yes' }, who),
        404,
        'NOTE_NOT_FOUND',
      );
      await fails(s.call('DELETE', `/notes/${n.body.id}`, undefined, who), 404, 'NOTE_NOT_FOUND');
    }
    await rate(n.body.id, campA[0]!, 'yes');
    // Readers see nothing yet; raters see the note to rate it.
    expect((await must(s.call('GET', `/threads/${t.id}/notes`))).body.items).toEqual([]);
    expect((await must(s.call('GET', `/threads/${t.id}/notes`, undefined, s.carol))).body.items).toEqual([]);
    const forRater = (await must(s.call('GET', `/threads/${t.id}/notes`, undefined, campA[0]))).body.items;
    expect(forRater).toMatchObject([{ id: n.body.id, myRating: 1, canRate: true }]);
    // "Notes needing ratings": the ones a rater has not rated yet, never their own.
    const toRate = async (who: TestUser) =>
      (await must(s.call('GET', `/communities/${s.slug}/notes`, undefined, who))).body.items;
    expect(await toRate(campA[1]!)).toMatchObject([
      { id: n.body.id, thread: { id: t.id, title: 'A claim' }, status: 'needs_more_ratings', myRating: null },
    ]);
    expect(await toRate(campA[0]!)).toEqual([]);
    expect(await toRate(s.alice)).toEqual([]);
    await fails(
      s.call('GET', `/communities/${s.slug}/notes`, undefined, s.carol),
      403,
      'TRUST_LEVEL_TOO_LOW',
    );
    await fails(s.call('GET', `/communities/${s.slug}/notes`, undefined, s.outsider), 403, 'NOT_A_MEMBER');
    // Removed content takes its notes out of the list.
    await must(s.call('DELETE', `/threads/${t.id}`, undefined, s.mod));
    expect(await toRate(campA[1]!)).toEqual([]);
  });

  it('shows a note only when both camps find it helpful', async () => {
    await setTrust(s, s.bob, 2);
    // History: partisan notes that each camp rates its own way.
    for (let i = 0; i < 6; i++) {
      const t = await thread(s, s.carol, `Topic ${i}`, `Claim ${i}`);
      const n = (await must(write(s.bob, t.id, `Partisan note ${i}`), 201)).body.id;
      for (const u of campA) await rate(n, u, i % 2 ? 'yes' : 'no');
      for (const u of campB) await rate(n, u, i % 2 ? 'no' : 'yes');
    }
    const t1 = await thread(s, s.carol, 'Disputed', 'A contested claim');
    const partisan = (await must(write(s.bob, t1.id, 'Only one side likes this note'), 201)).body.id;
    for (const u of campA) await rate(partisan, u, 'yes');
    for (const u of campB) await rate(partisan, u, 'no');
    const t2 = await thread(s, s.carol, 'Misleading', 'Another claim');
    const bridging = (await must(write(s.bob, t2.id, 'A sourced correction everyone accepts'), 201)).body.id;
    for (const u of [...campA, ...campB]) await rate(bridging, u, 'yes');

    await fails(s.call('POST', `/communities/${s.slug}/notes/score`, undefined, s.alice), 403, 'FORBIDDEN');
    const scored = await must(s.call('POST', `/communities/${s.slug}/notes/score`, undefined, s.mod));
    expect(scored.body.ratings).toBeGreaterThan(80);
    const shown = async (threadId: number) =>
      (await must(s.call('GET', `/threads/${threadId}/notes`))).body.items;
    expect(await shown(t1.id)).toEqual([]);
    const visible = await shown(t2.id);
    expect(visible).toMatchObject([{ id: bridging, status: 'helpful', shown: true, ratingCount: 12 }]);
    expect(visible[0].intercept).toBeGreaterThanOrEqual(0.4);
    expect(Math.abs(visible[0].factor)).toBeLessThan(0.5);
    // A shown note: readers below the rating level are told why they cannot rate it.
    await fails(
      s.call('POST', `/notes/${bridging}/ratings`, { helpful: 'no' }, s.carol),
      403,
      'TRUST_LEVEL_TOO_LOW',
    );
    await fails(
      s.call('POST', `/notes/${bridging}/ratings`, { helpful: 'no' }, s.outsider),
      403,
      'NOT_A_MEMBER',
    );
    await fails(s.call('DELETE', `/notes/${bridging}`, undefined, s.carol), 403, 'FORBIDDEN');
    const p = (await must(s.call('GET', `/notes/${partisan}`, undefined, campA[0]))).body;
    expect(p.status).not.toBe('helpful');
    expect(Math.abs(p.factor)).toBeGreaterThan(0.5);
    await fails(s.call('GET', `/notes/${partisan}`, undefined, s.carol), 404, 'NOTE_NOT_FOUND');
  });

  it('rescores with the hourly job only when new ratings arrived; authors and moderators delete notes', async () => {
    const first = await s.t.app.jobs.runNow('moderation.context_notes');
    expect(first).toEqual({ communities: 0 });
    const t = await thread(s, s.carol, 'Fresh', 'claim');
    const n = (await must(write(s.bob, t.id, 'A new note'), 201)).body.id;
    s.t.clock.advance(1000);
    await rate(n, campA[0]!, 'somewhat');
    expect(await s.t.app.jobs.runNow('moderation.context_notes')).toEqual({ communities: 1 });
    await fails(s.call('DELETE', `/notes/${n}`, undefined, s.carol), 404, 'NOTE_NOT_FOUND');
    await fails(s.call('DELETE', `/notes/${n}`, undefined, campA[1]), 403, 'FORBIDDEN');
    await must(s.call('DELETE', `/notes/${n}`, undefined, s.mod));
    await fails(s.call('GET', `/notes/${n}`, undefined, s.bob), 404, 'NOTE_NOT_FOUND');
  });
});
