import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comment,
  createScene,
  fails,
  must,
  newCommunity,
  type Scene,
  thread,
} from './moderation.fixtures.ts';

/**
 * Nothing held for approval, and nothing of a private community, leaks through moderation's
 * routes or the rest of the app (lists, search, feed, counts).
 */
describe('held content and private communities do not leak', () => {
  let s: Scene;
  let held: { id: number };
  let heldComment: { id: number };
  let open: { id: number };
  beforeAll(async () => {
    s = await createScene();
    await must(
      s.call(
        'POST',
        `/communities/${s.slug}/moderation/watched-words`,
        { pattern: 'zanzibar', action: 'require_approval' },
        s.mod,
      ),
      201,
    );
    held = await thread(s, s.alice, 'Zanzibar holiday', 'zanzibar quokka pictures');
    open = await thread(s, s.bob, 'Visible thread', 'quokka friends');
    heldComment = await comment(s, s.alice, open.id, 'quokka zanzibar comment');
    // Alice comments on her own held thread: that comment must wait with the thread.
    await comment(s, s.alice, held.id, 'quokka note under my held thread');
    await must(s.call('POST', `/follows/users/${s.alice.username}`, undefined, s.outsider));
    await s.t.app.events.drain();
  });
  afterAll(async () => s?.t.close());

  it("keeps held threads out of a follower's home feed", async () => {
    const feed = await must(s.call('GET', '/feed', undefined, s.outsider));
    const ids = feed.body.items.map((i: { thread?: { id: number }; id?: number }) => i.thread?.id ?? i.id);
    expect(ids).not.toContain(held.id);
    const member = await must(s.call('GET', '/feed', undefined, s.carol));
    const memberIds = member.body.items.map(
      (i: { thread?: { id: number }; id?: number }) => i.thread?.id ?? i.id,
    );
    expect(memberIds).toContain(open.id);
    expect(memberIds).not.toContain(held.id);
  });

  it('keeps held threads and comments out of search', async () => {
    const threads = await must(s.call('GET', '/search?q=quokka&type=threads', undefined, s.bob));
    expect(threads.body.items.map((h: { id: number }) => h.id)).toEqual([open.id]);
    const comments = await must(s.call('GET', '/search?q=quokka&type=comments', undefined, s.bob));
    expect(comments.body.items).toEqual([]);
    // Approval indexes the thread and the comment its author left under it.
    const q = await must(s.call('GET', `/communities/${s.slug}/moderation/queue`, undefined, s.mod));
    const item = q.body.items.find(
      (i: { target: { id: number; type: string } }) => i.target.type === 'thread' && i.target.id === held.id,
    );
    await must(s.call('POST', `/moderation/items/${item.id}/actions`, { action: 'approve' }, s.mod));
    const after = await must(s.call('GET', '/search?q=quokka&type=comments', undefined, s.bob));
    expect(after.body.items).toHaveLength(1);
    const afterThreads = await must(s.call('GET', '/search?q=quokka&type=threads', undefined, s.bob));
    expect(afterThreads.body.items.map((h: { id: number }) => h.id).sort()).toEqual(
      [held.id, open.id].sort(),
    );
  });

  it('keeps a held comment out of the count and the thread page for others', async () => {
    const t = await must(s.call('GET', `/threads/${open.id}`, undefined, s.bob));
    expect(t.body.commentCount).toBe(0);
    await fails(s.call('GET', `/comments/${heldComment.id}`), 404, 'COMMENT_NOT_FOUND');
    await fails(
      s.call('POST', '/notes', { targetType: 'comment', targetId: heldComment.id, body: 'x' }, s.mod),
      409,
      'CONTENT_DELETED',
    );
  });

  it("answers outsiders of a private community 404 on moderation's routes", async () => {
    const priv = await newCommunity(s, s.owner, { visibility: 'private', members: [s.alice] });
    const t = await thread(s, s.alice, 'Private', 'words', priv);
    const outsider = s.outsider;
    for (const [method, url, body] of [
      ['GET', `/communities/${priv}/modlog`, undefined],
      ['GET', `/communities/${priv}/guidelines`, undefined],
      ['GET', `/communities/${priv}/moderation/queue`, undefined],
      ['GET', `/communities/${priv}/members/${s.alice.username}/trust`, undefined],
      [
        'POST',
        `/communities/${priv}/moderation/actions`,
        { action: 'warn', targetType: 'user', targetId: s.alice.id, reason: 'x' },
      ],
    ] as const) {
      await fails(s.call(method, url, body, outsider), 404, 'COMMUNITY_NOT_FOUND');
    }
    await fails(s.call('GET', `/communities/${priv}/modlog`), 404, 'COMMUNITY_NOT_FOUND');
    await fails(
      s.call('POST', `/threads/${t.id}/read`, { ms: 1000, postsRead: 1 }, outsider),
      404,
      'THREAD_NOT_FOUND',
    );
    await fails(s.call('GET', `/threads/${t.id}/notes`, undefined, outsider), 404, 'THREAD_NOT_FOUND');
    await fails(s.call('GET', `/threads/${t.id}/notes`), 404, 'THREAD_NOT_FOUND');
    await fails(
      s.call('POST', '/notes', { targetType: 'thread', targetId: t.id, body: 'x' }, outsider),
      404,
      'THREAD_NOT_FOUND',
    );
    // Members read the log and the notes.
    await must(s.call('GET', `/communities/${priv}/modlog`, undefined, s.alice));
    await must(s.call('GET', `/threads/${t.id}/notes`, undefined, s.alice));
  });
});
