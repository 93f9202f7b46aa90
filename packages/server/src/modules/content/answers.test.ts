import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

describe('accepted answer (issue 7)', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let asker: TestUser;
  let helper: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    [owner, asker, helper] = await createUsers(t.app, 'aa_owner', 'aa_asker', 'aa_helper');
    await call('POST', '/communities', { slug: 'answers', name: 'Answers' }, owner);
    for (const u of [asker, helper]) await call('POST', '/communities/answers/join', {}, u);
  });
  afterAll(async () => t?.close());

  it('marks one comment, shows it on the thread and in lists, and refuses deleted content', async () => {
    const th = (await call('POST', '/communities/answers/threads', { title: 'How?', body: 'x' }, asker)).body;
    expect(th.acceptedCommentId).toBeNull();
    const a = (await call('POST', `/threads/${th.id}/comments`, { body: 'Like this' }, helper)).body;
    const b = (await call('POST', `/threads/${th.id}/comments`, { body: 'Or so' }, helper)).body;
    await call('DELETE', `/comments/${b.id}`, undefined, helper);
    const gone = await call('PUT', `/threads/${th.id}/accepted-answer`, { commentId: b.id }, asker);
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('CONTENT_DELETED');
    const missing = await call('PUT', `/threads/${th.id}/accepted-answer`, { commentId: 2_000_000 }, asker);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'commentId' });
    expect((await call('PUT', `/threads/${th.id}/accepted-answer`, { commentId: a.id }, asker)).status).toBe(
      200,
    );
    const list = await call('GET', '/communities/answers/threads?sort=new');
    expect(list.body.items.find((x: { id: number }) => x.id === th.id).acceptedCommentId).toBe(a.id);
    await call('DELETE', `/threads/${th.id}`, undefined, asker);
    const late = await call('DELETE', `/threads/${th.id}/accepted-answer`, undefined, owner);
    expect(late.body.error.code).toBe('CONTENT_DELETED');
    const events = await t.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'content.answer_accepted')
      .orderBy('id')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      {
        threadId: th.id,
        communityId: th.community.id,
        threadAuthorId: asker.id,
        commentId: a.id,
        commentAuthorId: helper.id,
        acceptedBy: asker.id,
        previousCommentId: null,
      },
    ]);
  });
});
