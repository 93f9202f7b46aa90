import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, ok } from '../../../test/fixtures.ts';
import {
  api,
  createTestApp,
  createUsers,
  dialect,
  type TestApp,
  type TestUser,
} from '../../../test/harness.ts';

/** Wiki threads (issue 6): editable by members whose trust level reaches `unlocks.editWikiPosts`. */
describe(`wiki threads (${dialect})`, () => {
  let t: TestApp;
  let owner: TestUser;
  let author: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let threadId: number;
  const call = () => api(t.app);
  const edit = (u: TestUser, body: string) => call()('PATCH', `/threads/${threadId}`, { body }, u);

  beforeAll(async () => {
    t = await createTestApp();
    [owner, author, member, outsider] = await createUsers(
      t.app,
      'wk_owner',
      'wk_author',
      'wk_member',
      'wk_out',
    );
    await ok(call()('POST', '/communities', { slug: 'wiki-club', name: 'Wiki club' }, owner), 201);
    for (const u of [author, member]) await ok(call()('POST', '/communities/wiki-club/join', {}, u));
    const th = await ok(
      call()('POST', '/communities/wiki-club/threads', { title: 'Route list', body: 'North loop' }, author),
      201,
    );
    threadId = th.body.id;
  });
  afterAll(async () => t?.close());

  it('lets only the author or a moderator edit a thread that is not a wiki, or make it one', async () => {
    expect((await ok(call()('GET', `/threads/${threadId}`))).body.wiki).toBe(false);
    expectError(await edit(member, 'Mine now'), 403, 'FORBIDDEN');
    expectError(await call()('PATCH', `/threads/${threadId}`, { wiki: true }, member), 403, 'FORBIDDEN');
    const made = await ok(call()('PATCH', `/threads/${threadId}`, { wiki: true }, author));
    expect(made.body.wiki).toBe(true);
  });

  it('refuses members below the trust level, then lets them edit once trusted, with a revision', async () => {
    const refused = await edit(member, 'North loop, South loop');
    expectError(refused, 403, 'TRUST_LEVEL_TOO_LOW');
    expect(refused.body.error.message).toContain('trust level 1');
    // Someone who is not a member never edits, whatever the level.
    expectError(await edit(outsider, 'Vandalised'), 403, 'FORBIDDEN');
    await ok(call()('PATCH', `/communities/wiki-club/members/${member.username}/trust`, { level: 1 }, owner));
    const done = await ok(edit(member, 'North loop, South loop'));
    expect(done.body).toMatchObject({ body: 'North loop, South loop', wiki: true });
    const revisions = await t.db
      .selectFrom('revisions')
      .select(['edited_by', 'body'])
      .where('target_type', '=', 'thread')
      .where('target_id', '=', threadId)
      .execute();
    expect(revisions).toEqual([{ edited_by: member.id, body: 'North loop' }]);
    // Still the author's and the moderators' to turn off: then the member may not edit any more.
    expectError(await call()('PATCH', `/threads/${threadId}`, { wiki: false }, member), 403, 'FORBIDDEN');
    await ok(call()('PATCH', `/threads/${threadId}`, { wiki: false }, owner));
    expectError(await edit(member, 'Once more'), 403, 'FORBIDDEN');
  });

  it('follows the community setting for the level', async () => {
    await ok(call()('PATCH', `/threads/${threadId}`, { wiki: true }, owner));
    await ok(
      call()('PATCH', '/communities/wiki-club/moderation/settings', { unlocks: { editWikiPosts: 2 } }, owner),
    );
    expectError(await edit(member, 'At level 1'), 403, 'TRUST_LEVEL_TOO_LOW');
  });
});
