import { expect } from 'vitest';
import { api, createTestApp, createUser, type TestApp, type TestUser } from '../../../test/harness.ts';

/** Shared set-up for the moderation suites: an app, a community with its people, small helpers. */
export interface Scene {
  t: TestApp;
  call: ReturnType<typeof api>;
  owner: TestUser;
  mod: TestUser;
  alice: TestUser;
  bob: TestUser;
  carol: TestUser;
  outsider: TestUser;
  slug: string;
  communityId: number;
}

let n = 0;

export async function createScene(
  opts: { automod?: boolean; visibility?: 'public' | 'private'; guidelines?: string } = {},
): Promise<Scene> {
  const t = await createTestApp({ config: { automod: opts.automod ?? false } });
  const call = api(t.app);
  const [owner, mod, alice, bob, carol, outsider] = await Promise.all(
    ['owner', 'mod', 'alice', 'bob', 'carol', 'outsider'].map((p) =>
      createUser(t.app, `${p}_${++n}_${process.pid % 1000}`),
    ),
  );
  const slug = await newCommunity({ t, call } as Scene, owner!, {
    visibility: opts.visibility ?? 'public',
    guidelines: opts.guidelines ?? '1. Be kind\n2. No spam\n3. Stay on topic',
    members: [mod!, alice!, bob!, carol!],
  });
  await must(call('PATCH', `/communities/${slug}/members/${mod!.username}`, { role: 'moderator' }, owner));
  const c = await must(call('GET', `/communities/${slug}`, undefined, owner));
  return {
    t,
    call,
    owner: owner!,
    mod: mod!,
    alice: alice!,
    bob: bob!,
    carol: carol!,
    outsider: outsider!,
    slug,
    communityId: c.body.id,
  };
}

/** A community owned by `owner` with `members` joined (invited first when private). */
export async function newCommunity(
  s: Pick<Scene, 't' | 'call'>,
  owner: TestUser,
  o: { visibility?: 'public' | 'private'; guidelines?: string; members?: TestUser[] } = {},
): Promise<string> {
  const slug = `mod-${++n}-${Math.random().toString(36).slice(2, 7)}`;
  const visibility = o.visibility ?? 'public';
  await must(
    s.call(
      'POST',
      '/communities',
      { slug, name: `Community ${slug}`, visibility, guidelines: o.guidelines ?? '' },
      owner,
    ),
    201,
  );
  for (const m of o.members ?? []) {
    if (visibility === 'private')
      await must(s.call('POST', `/communities/${slug}/invites`, { username: m.username }, owner));
    await must(s.call('POST', `/communities/${slug}/join`, { acceptGuidelines: true }, m));
  }
  return slug;
}

/** Expects a status (200 by default) and returns the response. */
export async function must<R extends { status: number; body: any }>(
  p: Promise<R> | R,
  status = 200,
): Promise<R> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r;
}

/** Expects an error response with this status and code. */
export async function fails<R extends { status: number; body: any }>(
  p: Promise<R> | R,
  status: number,
  code: string,
) {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error?.code).toBe(code);
  return r;
}

export async function makeAdmin(s: Pick<Scene, 't'>, u: TestUser) {
  await s.t.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', u.id).execute();
}

/** Pins a member's trust level (owners may), to reach a level without weeks of activity. */
export async function setTrust(s: Scene, u: TestUser, level: number | null, slug = s.slug) {
  return must(s.call('PATCH', `/communities/${slug}/members/${u.username}/trust`, { level }, s.owner));
}

export async function thread(
  s: Scene,
  by: TestUser,
  title = 'A thread title',
  body = 'Some thread body text',
  slug = s.slug,
) {
  return (await must(s.call('POST', `/communities/${slug}/threads`, { title, body }, by), 201)).body;
}

export async function comment(s: Scene, by: TestUser, threadId: number, body = 'A comment body') {
  return (await must(s.call('POST', `/threads/${threadId}/comments`, { body }, by), 201)).body;
}
