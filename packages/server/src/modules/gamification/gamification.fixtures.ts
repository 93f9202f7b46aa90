import type { TestUser } from '../../../test/harness.ts';
import { must, type Scene } from '../moderation/moderation.fixtures.ts';

/** Shared helpers of the gamification suites (on top of the moderation suites' scene). */
export { createScene, fails, must, type Scene } from '../moderation/moderation.fixtures.ts';

/** A member's earned points, once pending events have landed. */
export async function pts(s: Scene, u: TestUser, slug = s.slug): Promise<number> {
  await s.t.app.events.drain();
  const r = await must(
    s.call('GET', `/communities/${slug}/members/${u.username}/gamification`, undefined, u),
  );
  return r.body.points;
}

/** Drains events and runs the badge job; returns what it did. */
export async function badgeJob(s: Scene) {
  await s.t.app.events.drain();
  const r = (await s.t.app.jobs.runNow('gamification.badges')) as { evaluated: number; granted: number };
  await s.t.app.events.drain();
  return r;
}

export async function badgesOf(s: Scene, u: TestUser, slug = s.slug): Promise<string[]> {
  const r = await must(
    s.call('GET', `/communities/${slug}/members/${u.username}/gamification`, undefined, u),
  );
  return r.body.badges.map((b: { slug: string }) => b.slug).sort();
}

export async function settings(s: Scene, patch: unknown, by: TestUser = s.owner) {
  return must(s.call('PATCH', `/communities/${s.slug}/gamification/settings`, patch, by));
}

export async function post(s: Scene, by: TestUser, title = 'A thread', tags: string[] = [], slug = s.slug) {
  return (await must(s.call('POST', `/communities/${slug}/threads`, { title, body: 'Body', tags }, by), 201))
    .body as { id: number };
}

export async function reply(s: Scene, by: TestUser, threadId: number, parentId?: number) {
  const body = { body: 'A reply', ...(parentId && { parentId }) };
  return (await must(s.call('POST', `/threads/${threadId}/comments`, body, by), 201)).body as { id: number };
}

export const react = (s: Scene, by: TestUser, type: 'threads' | 'comments', id: number, kind = 'like') =>
  must(s.call('POST', `/${type}/${id}/reactions`, { kind }, by));

export async function board(s: Scene, query = '', viewer: TestUser = s.owner) {
  await s.t.app.events.drain();
  const r = await must(s.call('GET', `/communities/${s.slug}/leaderboard${query}`, undefined, viewer));
  return r.body.items.map((i: { username: string; points: number }) => [i.username, i.points]);
}
