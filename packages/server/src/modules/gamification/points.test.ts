import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../platform/clock.ts';
import {
  board,
  createScene,
  fails,
  must,
  post,
  pts,
  react,
  reply,
  type Scene,
  settings,
} from './gamification.fixtures.ts';

describe('gamification: accepted answers', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  it('awards the answer, moves the award when another is accepted, takes it back when cleared', async () => {
    const t = await post(s, s.alice, 'How do I true a wheel?');
    const bobs = await reply(s, s.bob, t.id);
    const carols = await reply(s, s.carol, t.id);
    const own = await reply(s, s.alice, t.id);
    const other = await post(s, s.carol, 'Elsewhere');
    const elsewhere = await reply(s, s.bob, other.id);
    const [bob0, carol0] = [await pts(s, s.bob), await pts(s, s.carol)];
    const url = `/threads/${t.id}/accepted-answer`;

    await fails(s.call('PUT', url, { commentId: bobs.id }, s.carol), 403, 'FORBIDDEN');
    await fails(s.call('PUT', url, { commentId: bobs.id }, null), 401, 'UNAUTHENTICATED');
    await fails(s.call('PUT', url, { commentId: elsewhere.id }, s.alice), 400, 'VALIDATION_FAILED');
    await fails(s.call('PUT', url, {}, s.alice), 400, 'VALIDATION_FAILED');
    const accepted = await must(s.call('PUT', url, { commentId: bobs.id }, s.alice));
    expect(accepted.body.acceptedCommentId).toBe(bobs.id);
    expect((await must(s.call('GET', `/threads/${t.id}`))).body.acceptedCommentId).toBe(bobs.id);
    expect(await pts(s, s.bob)).toBe(bob0 + 15);
    // Accepting the same one again changes nothing; a moderator may choose another.
    await must(s.call('PUT', url, { commentId: bobs.id }, s.alice));
    await must(s.call('PUT', url, { commentId: carols.id }, s.mod));
    expect(await pts(s, s.bob)).toBe(bob0);
    expect(await pts(s, s.carol)).toBe(carol0 + 15);
    // The author's own answer on their own thread earns nothing.
    const alice0 = await pts(s, s.alice);
    await must(s.call('PUT', url, { commentId: own.id }, s.alice));
    expect(await pts(s, s.alice)).toBe(alice0);
    expect(await pts(s, s.carol)).toBe(carol0);
    await must(s.call('PUT', url, { commentId: carols.id }, s.alice));
    expect(await pts(s, s.carol)).toBe(carol0 + 15);
    const cleared = await must(s.call('DELETE', url, undefined, s.alice));
    expect(cleared.body.acceptedCommentId).toBeNull();
    expect(await pts(s, s.carol)).toBe(carol0);
    const types = (await s.t.db.selectFrom('outbox').select('type').execute()).map((r) => r.type);
    expect(types.filter((x) => x === 'content.answer_accepted')).toHaveLength(4);
    expect(types.filter((x) => x === 'content.answer_unaccepted')).toHaveLength(1);
  });

  it('takes an accepted answer back with its comment, and gives it back when the removal is overturned', async () => {
    const t = await post(s, s.alice, 'Which tyre pressure?');
    const answer = await reply(s, s.bob, t.id);
    await must(s.call('PUT', `/threads/${t.id}/accepted-answer`, { commentId: answer.id }, s.alice));
    await react(s, s.carol, 'comments', answer.id);
    const withAll = await pts(s, s.bob);
    const removed = await must(
      s.call(
        'POST',
        `/communities/${s.slug}/moderation/actions`,
        { action: 'remove', targetType: 'comment', targetId: answer.id, reason: 'Off topic' },
        s.mod,
      ),
    );
    expect(await pts(s, s.bob)).toBe(withAll - 2 - 15 - 1);
    const appeal = await must(
      s.call(
        'POST',
        `/moderation/actions/${removed.body.actionIds[0]}/appeal`,
        { body: 'It was on topic' },
        s.bob,
      ),
      201,
    );
    await must(
      s.call('POST', `/moderation/appeals/${appeal.body.id}/decision`, { decision: 'overturn' }, s.owner),
    );
    expect(await pts(s, s.bob)).toBe(withAll);
    await fails(
      s.call('PUT', `/threads/${t.id}/accepted-answer`, { commentId: answer.id }, s.bob),
      403,
      'FORBIDDEN',
    );
  });
});

describe('gamification: weights, daily caps, downvotes, removed threads', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  it('applies the community weights and caps per member and UTC day; only moderators change them', async () => {
    await fails(
      s.call(
        'PATCH',
        `/communities/${s.slug}/gamification/settings`,
        { weights: { comment_created: 3 } },
        s.alice,
      ),
      403,
      'FORBIDDEN',
    );
    const bad = await s.call(
      'PATCH',
      `/communities/${s.slug}/gamification/settings`,
      { weights: { comment_created: -1 } },
      s.owner,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('comment_created');
    const changed = await settings(s, { weights: { comment_created: 3 }, dailyCaps: { comment_created: 7 } });
    expect(changed.body.weights.comment_created).toBe(3);
    expect(changed.body.weights.thread_created).toBe(5);
    const read = await must(
      s.call('GET', `/communities/${s.slug}/gamification/settings`, undefined, s.carol),
    );
    expect(read.body.dailyCaps.comment_created).toBe(7);
    const t = await post(s, s.alice);
    for (let i = 0; i < 4; i++) await reply(s, s.bob, t.id);
    expect(await pts(s, s.bob)).toBe(3 + 3 + 1 + 0);
    s.t.clock.advance(DAY);
    await reply(s, s.bob, t.id);
    expect(await pts(s, s.bob)).toBe(10);
  });

  it('gives nothing for downvotes, and takes a like back when it becomes a downvote', async () => {
    const t = await post(s, s.carol, 'Opinion');
    const before = await pts(s, s.carol);
    await react(s, s.alice, 'threads', t.id, 'downvote');
    expect(await pts(s, s.carol)).toBe(before);
    await react(s, s.bob, 'threads', t.id, 'like');
    expect(await pts(s, s.carol)).toBe(before + 1);
    await react(s, s.bob, 'threads', t.id, 'downvote');
    expect(await pts(s, s.carol)).toBe(before);
    await react(s, s.bob, 'threads', t.id, 'insightful');
    expect(await pts(s, s.carol)).toBe(before + 1);
  });

  it('takes back everything earned in a removed thread, comments and their reactions included', async () => {
    const t = await post(s, s.mod, 'Doomed thread');
    const c = await reply(s, s.carol, t.id);
    await react(s, s.alice, 'comments', c.id);
    const before = await pts(s, s.carol);
    await must(s.call('DELETE', `/threads/${t.id}`, undefined, s.mod));
    expect(await pts(s, s.carol)).toBe(before - 3 - 1);
  });
});

describe('gamification: reaction rings do not move members up the leaderboard', () => {
  it('a script of reciprocal reactions between two accounts leaves the board as it was', async () => {
    const s = await createScene();
    const { alice, bob, carol, mod } = s;
    // Ordinary activity first: Carol 5 threads (25); Alice and Bob a thread and 8 comments each (21).
    for (let i = 0; i < 5; i++) await post(s, carol, `Carol ${i}`);
    const content = new Map<string, { thread: number; comments: number[] }>();
    for (const u of [alice, bob]) {
      const t = await post(s, u, `${u.username}'s thread`);
      const comments: number[] = [];
      for (let i = 0; i < 8; i++) comments.push((await reply(s, u, t.id)).id);
      content.set(u.username, { thread: t.id, comments });
    }
    // An honest like from someone else counts (+1 for Alice).
    await react(s, mod, 'threads', content.get(alice.username)!.thread);
    const before = await board(s);
    expect(before).toEqual([
      [carol.username, 25],
      [alice.username, 22],
      [bob.username, 21],
    ]);
    // The script: each likes everything the other wrote (9 reactions each way; 9 points each without the rule).
    const mine = (u: string) => [content.get(u)!.thread, ...content.get(u)!.comments];
    for (let i = 0; i < 9; i++) {
      const type = i === 0 ? 'threads' : 'comments';
      await react(s, bob, type, mine(alice.username)[i]!);
      await react(s, alice, type, mine(bob.username)[i]!);
    }
    // Once the ring closed (5 each way), even the first exchanged likes were taken back.
    expect(await board(s)).toEqual(before);
    for (const period of ['week', 'month', 'year'])
      expect(await board(s, `?period=${period}`)).toEqual(before);
    const traded = await s.t.db
      .selectFrom('points_ledger')
      .select('id')
      .where('reason', '=', 'reaction_received')
      .where('actor_id', 'in', [alice.id, bob.id])
      .where('user_id', 'in', [alice.id, bob.id])
      .execute();
    expect(traded).toEqual([]);
    // A one-sided fan still earns Alice points: Carol's like counts.
    await react(s, carol, 'comments', content.get(alice.username)!.comments[0]!);
    expect(await pts(s, alice)).toBe(23);
    await s.t.close();
  }, 60_000);
});
