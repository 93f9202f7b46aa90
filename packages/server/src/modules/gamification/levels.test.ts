import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/harness.ts';
import { newCommunity } from '../moderation/moderation.fixtures.ts';
import {
  board,
  createScene,
  fails,
  must,
  post,
  pts,
  reply,
  type Scene,
  settings,
} from './gamification.fixtures.ts';

const LEVELS = [
  { name: 'Seedling', minPoints: 0 },
  {
    name: 'Sprout',
    minPoints: 10,
    perks: { flair: '🌱 Sprout', tags: ['#Lounge'], earlyEventAccessHours: 12 },
  },
  { name: 'Oak', minPoints: 30, perks: { flair: '🌳 Oak' } },
];

describe('gamification: levels the community names, perks, the level-gated sub-forum', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  it('validates levels: start at 0, rise strictly, distinct names, real tags', async () => {
    const patch = (levels: unknown) =>
      s.call('PATCH', `/communities/${s.slug}/gamification/settings`, { levels }, s.owner);
    const field = async (levels: unknown) =>
      (await fails(patch(levels), 400, 'VALIDATION_FAILED')).body.error.field;
    expect(await field([{ name: 'A', minPoints: 5 }])).toBe('body.levels.0.minPoints');
    expect(
      await field([
        { name: 'A', minPoints: 0 },
        { name: 'B', minPoints: 0 },
      ]),
    ).toBe('body.levels.1.minPoints');
    expect(
      await field([
        { name: 'A', minPoints: 0 },
        { name: 'a', minPoints: 3 },
      ]),
    ).toBe('body.levels.1.name');
    expect(await field([{ name: 'A', minPoints: 0, perks: { tags: ['no spaces'] } }])).toBe(
      'body.levels.0.perks.tags.0',
    );
    expect(await field([])).toContain('body.levels');
    // Nothing was stored by the refused patches.
    const read = await must(
      s.call('GET', `/communities/${s.slug}/gamification/settings`, undefined, s.alice),
    );
    expect(read.body.levels.map((l: { name: string }) => l.name)).toEqual([
      'Newcomer',
      'Regular',
      'Contributor',
      'Pillar',
    ]);
  });

  it('names levels as the community chose, with flair, perks and batched levels for names', async () => {
    const saved = await settings(s, { levels: LEVELS });
    expect(saved.body.levels[1]).toEqual({
      name: 'Sprout',
      minPoints: 10,
      perks: { flair: '🌱 Sprout', tags: ['lounge'], earlyEventAccessHours: 12 },
    });
    await post(s, s.alice, 'one');
    await post(s, s.alice, 'two');
    await s.t.app.events.drain();
    const me = await must(
      s.call('GET', `/communities/${s.slug}/members/${s.alice.username}/gamification`, undefined, s.alice),
    );
    expect(me.body).toMatchObject({
      points: 10,
      level: { level: 2, name: 'Sprout', minPoints: 10, nextAt: 30, flair: '🌱 Sprout' },
      perks: { flair: '🌱 Sprout', tags: ['lounge'], earlyEventAccessHours: 12 },
      balance: 10,
      hideFromLeaderboards: false,
    });
    // Someone else sees the level but not the balance or choices.
    const other = await must(
      s.call('GET', `/communities/${s.slug}/members/${s.alice.username}/gamification`, undefined, s.bob),
    );
    expect(other.body.balance).toBeUndefined();
    const names = [s.alice.username, s.bob.username, 'nobody-here', s.outsider.username].join(',');
    const levels = await must(s.call('GET', `/communities/${s.slug}/member-levels?usernames=${names}`));
    expect(levels.body.items).toEqual(
      [
        { username: s.alice.username, points: 10, level: 2, levelName: 'Sprout', flair: '🌱 Sprout' },
        { username: s.bob.username, points: 0, level: 1, levelName: 'Seedling', flair: null },
      ].sort((a, b) => a.username.localeCompare(b.username)),
    );
  });

  it('opens writing under a gated tag from its level; moderators are exempt; nothing is stored when refused', async () => {
    const threadsBefore = (await s.t.db.selectFrom('threads').select('id').execute()).length;
    const refused = await fails(
      s.call(
        'POST',
        `/communities/${s.slug}/threads`,
        { title: 'Let me in', body: 'x', tags: ['lounge'] },
        s.bob,
      ),
      403,
      'LEVEL_TOO_LOW',
    );
    expect(refused.body.error.message).toContain('level 2 (Sprout)');
    // A #tag in the body counts as a tag too.
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'Sneaky', body: 'hi #lounge' }, s.bob),
      403,
      'LEVEL_TOO_LOW',
    );
    expect((await s.t.db.selectFrom('threads').select('id').execute()).length).toBe(threadsBefore);
    const lounge = await post(s, s.alice, 'Sprouts only', ['lounge']);
    await fails(
      s.call('POST', `/threads/${lounge.id}/comments`, { body: 'me too' }, s.bob),
      403,
      'LEVEL_TOO_LOW',
    );
    const plain = await post(s, s.bob, 'Ordinary');
    await fails(s.call('PATCH', `/threads/${plain.id}`, { tags: ['lounge'] }, s.bob), 403, 'LEVEL_TOO_LOW');
    expect((await must(s.call('GET', `/threads/${plain.id}`))).body.tags).toEqual([]);
    await reply(s, s.mod, lounge.id);
    await reply(s, s.alice, lounge.id);
    // Reading stays as the community's visibility decides.
    await must(s.call('GET', `/threads/${lounge.id}/comments`, undefined, s.bob));
    await must(s.call('GET', `/threads/${lounge.id}`, undefined, null));
  });
});

describe('gamification: leaderboards per tag, hidden members, profiles, privacy', () => {
  let s: Scene;
  let privSlug: string;
  beforeAll(async () => {
    s = await createScene();
    privSlug = await newCommunity(s, s.owner, { visibility: 'private', members: [s.alice] });
  });
  afterAll(async () => s?.t.close());

  it('ranks points per tag of the thread they came from', async () => {
    const gear = await post(s, s.alice, 'Chains', ['gear']);
    await reply(s, s.bob, gear.id);
    await post(s, s.bob, 'Routes', ['routes']);
    await post(s, s.carol, 'Untagged');
    expect(await board(s, '?tag=gear')).toEqual([
      [s.alice.username, 5],
      [s.bob.username, 2],
    ]);
    expect(await board(s, '?tag=routes')).toEqual([[s.bob.username, 5]]);
    expect(await board(s, '?tag=%23Routes')).toEqual([[s.bob.username, 5]]);
    const r = await must(s.call('GET', `/communities/${s.slug}/leaderboard?period=week`));
    expect(r.body.tags).toEqual([
      { name: 'gear', points: 7 },
      { name: 'routes', points: 5 },
    ]);
    expect(r.body.items[0]).toMatchObject({
      rank: 1,
      username: s.bob.username,
      points: 7,
      level: 1,
      levelName: 'Newcomer',
    });
    await fails(s.call('GET', `/communities/${s.slug}/leaderboard?tag=not a tag`), 400, 'VALIDATION_FAILED');
  });

  it('leaves out hidden members and members who left', async () => {
    await must(
      s.call('PATCH', `/communities/${s.slug}/me/gamification`, { hideFromLeaderboards: true }, s.bob),
    );
    expect((await board(s)).map((r: string[]) => r[0])).toEqual([s.alice.username, s.carol.username]);
    await must(s.call('POST', `/communities/${s.slug}/leave`, undefined, s.carol));
    expect((await board(s)).map((r: string[]) => r[0])).toEqual([s.alice.username]);
    expect(await board(s, '?tag=gear')).toEqual([[s.alice.username, 5]]);
  });

  it("shows a profile's cards only for communities the viewer can read", async () => {
    await post(s, s.alice, 'Secret plans', [], privSlug);
    await s.t.app.events.drain();
    const cards = async (viewer: typeof s.alice | null) =>
      (
        await must(s.call('GET', `/users/${s.alice.username}/gamification`, undefined, viewer))
      ).body.communities.map((c: { community: { slug: string } }) => c.community.slug);
    expect(await cards(null)).toEqual([s.slug]);
    expect(await cards(s.bob)).toEqual([s.slug]);
    expect((await cards(s.owner)).sort()).toEqual([privSlug, s.slug].sort());
    await fails(s.call('GET', '/users/nobody-at-all/gamification'), 404, 'USER_NOT_FOUND');
    // The private community's boards, levels, settings and badges are 404 to outsiders.
    for (const path of [
      'leaderboard',
      `members/${s.alice.username}/gamification`,
      `member-levels?usernames=${s.alice.username}`,
      'gamification/settings',
      'badges',
      'rewards',
    ]) {
      await fails(
        s.call('GET', `/communities/${privSlug}/${path}`, undefined, s.bob),
        404,
        'COMMUNITY_NOT_FOUND',
      );
      await fails(s.call('GET', `/communities/${privSlug}/${path}`), 404, 'COMMUNITY_NOT_FOUND');
    }
    expect(await pts(s, s.alice, privSlug)).toBe(5);
  });
});

describe('gamification: event attendance (awarding function for events.checked_in)', () => {
  it('awards the attendee once, never the host for their own event', async () => {
    const s = await createScene();
    const { awardEventAttended } = await import('./points.ts');
    const host = await createUser(s.t.app);
    const p = { eventId: 7, communityId: s.communityId, userId: s.alice.id, hostId: host.id };
    const at = s.t.clock.now();
    await s.t.db.transaction().execute((trx) => awardEventAttended(trx, p, at));
    await s.t.db.transaction().execute((trx) => awardEventAttended(trx, p, at));
    await s.t.db.transaction().execute((trx) => awardEventAttended(trx, { ...p, userId: host.id }, at));
    expect(await pts(s, s.alice)).toBe(10);
    await settings(s, { weights: { event_attended: 4 } });
    await s.t.db.transaction().execute((trx) => awardEventAttended(trx, { ...p, eventId: 8 }, at));
    expect(await pts(s, s.alice)).toBe(14);
    await s.t.close();
  });
});
