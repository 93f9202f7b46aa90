import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectOf } from '../src/db/dialect.ts';
import type { Db } from '../src/db/index.ts';
import { userColumns } from '../src/platform/data-rights.ts';
import { expectError, openDirectMessages } from './fixtures.ts';
import { api, createTestApp, createUser, createUsers, type TestApp, type TestUser } from './harness.ts';

/**
 * Data rights over the whole migrated schema, so tables merged later are checked too:
 * - every column that refers to users (a foreign key, or a name like *_user_id, author_id,
 *   *_by) must be declared in the erasure plan (platform/data-rights.ts);
 * - after an erasure, no text column of any table contains the member's username, email,
 *   display name or bio, and no user column holds their id.
 */

interface Column {
  table: string;
  column: string;
  type: string;
}

async function schemaColumns(db: Db): Promise<Column[]> {
  if (dialectOf(db) === 'postgres') {
    const r = await sql<Column>`select table_name as "table", column_name as "column", data_type as "type"
      from information_schema.columns where table_schema = 'public'`.execute(db);
    return r.rows;
  }
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'
    and name not like 'sqlite_%'`.execute(db);
  const out: Column[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{
      name: string;
      type: string;
    }>`select name, type from pragma_table_info(${name})`.execute(db);
    for (const c of cols.rows) out.push({ table: name, column: c.name, type: c.type.toLowerCase() });
  }
  return out;
}

/** Columns that refer to users.id: declared foreign keys, plus names that say so. */
async function userReferences(db: Db, cols: Column[]): Promise<Set<string>> {
  const refs = new Set<string>();
  if (dialectOf(db) === 'postgres') {
    const r = await sql<{ table: string; column: string }>`
      select kcu.table_name as "table", kcu.column_name as "column"
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
      where ccu.table_name = 'users' and kcu.table_schema = 'public'`.execute(db);
    for (const x of r.rows) refs.add(`${x.table}.${x.column}`);
  } else {
    for (const table of new Set(cols.map((c) => c.table))) {
      const fks = await sql<{
        table: string;
        from: string;
      }>`select "table", "from" from pragma_foreign_key_list(${table})`.execute(db);
      for (const fk of fks.rows) if (fk.table === 'users') refs.add(`${table}.${fk.from}`);
    }
  }
  const named =
    /(^|_)(user_id|author_id|owner_id|moderator_id|reporter_id|member_id|sender_id|recipient_id)$|_by$/;
  for (const c of cols) if (named.test(c.column)) refs.add(`${c.table}.${c.column}`);
  return refs;
}

const isText = (type: string) => /char|text|clob|tsvector|json/.test(type) || type === '';

/** Every (table.column) whose text contains one of the needles, case-insensitively. */
async function findText(db: Db, cols: Column[], needles: string[]) {
  const pg = dialectOf(db) === 'postgres';
  const hits: string[] = [];
  for (const c of cols.filter((x) => isText(x.type))) {
    for (const needle of needles) {
      const col = sql.ref(`${c.table}.${c.column}`);
      const r = pg
        ? await sql<{
            n: number;
          }>`select count(*) as n from ${sql.table(c.table)} where ${col}::text ilike ${`%${needle}%`}`.execute(
            db,
          )
        : await sql<{
            n: number;
          }>`select count(*) as n from ${sql.table(c.table)} where ${col} like ${`%${needle}%`}`.execute(db);
      if (Number(r.rows[0]?.n) > 0) hits.push(`${c.table}.${c.column} contains "${needle}"`);
    }
  }
  return hits;
}

describe('data rights over the whole schema', () => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let cols: Column[];
  let owner: TestUser;
  let friend: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    cols = await schemaColumns(t.db);
    [owner, friend] = await createUsers(t.app, 'dr_owner', 'dr_friend');
    expect((await call('POST', '/communities', { slug: 'dr-pub', name: 'Data rights' }, owner)).status).toBe(
      201,
    );
    expect(
      (await call('POST', '/communities', { slug: 'dr-priv', name: 'Hidden', visibility: 'private' }, owner))
        .status,
    ).toBe(201);
    expect((await call('POST', '/communities/dr-pub/join', {}, friend)).status).toBe(200);
    await openDirectMessages(t.app, 'dr-pub', owner);
  });
  afterAll(async () => t?.close());

  it('declares every column that refers to users in the erasure plan', async () => {
    const refs = await userReferences(t.db, cols);
    expect(refs.size).toBeGreaterThan(30);
    const declared = new Set(userColumns().map((c) => `${c.table}.${c.column}`));
    const missing = [...refs].filter((r) => !declared.has(r)).sort();
    expect(missing, 'user columns with no erasure rule: declare them (platform/data-rights.ts)').toEqual([]);
    const existing = new Set(cols.map((c) => `${c.table}.${c.column}`));
    expect([...declared].filter((d) => !existing.has(d))).toEqual([]);
  });

  /** A member who did a bit of everything, with strings found nowhere else. */
  async function busyMember(tag: string) {
    const username = `zq_${tag}_erasable`;
    const v = await createUser(t.app, username);
    const profile = { displayName: `Quillfeather ${tag} Zebulon`, bio: `bio-token-${tag}-8842 likes kilns` };
    expect((await call('PATCH', '/me', { ...profile, interests: ['pottery'] }, v)).status).toBe(200);
    for (const slug of ['dr-pub'])
      expect((await call('POST', `/communities/${slug}/join`, {}, v)).status).toBe(200);
    await call('POST', '/communities/dr-priv/invites', { username }, owner);
    await call('POST', '/communities/dr-priv/join', {}, v);
    const th = await call(
      'POST',
      '/communities/dr-pub/threads',
      { title: 'Glazes', body: `Which glaze for stoneware (${tag})?` },
      v,
    );
    expect(th.status).toBe(201);
    await call('PATCH', `/threads/${th.body.id}`, { body: `Which glaze for stoneware (${tag}), please?` }, v);
    const reply = await call(
      'POST',
      `/threads/${th.body.id}/comments`,
      { body: `Try celadon, @${username}` },
      friend,
    );
    await call(
      'POST',
      `/threads/${reply.body.id ? th.body.id : 0}/comments`,
      { body: 'Thanks!', parentId: reply.body.id },
      v,
    );
    const fth = await call(
      'POST',
      '/communities/dr-pub/threads',
      { title: 'Kilns', body: 'Electric or gas?' },
      friend,
    );
    await call('POST', `/threads/${fth.body.id}/comments`, { body: 'Gas, for reduction' }, v);
    await call('POST', `/threads/${fth.body.id}/reactions`, { kind: 'like' }, v);
    await call('POST', `/threads/${th.body.id}/reactions`, { kind: 'love' }, friend);
    await call('POST', `/follows/users/${friend.username}`, undefined, v);
    await call('POST', `/follows/users/${username}`, undefined, friend);
    await call('POST', `/mutes/users/${owner.username}`, undefined, v);
    await call('POST', '/communities/dr-pub/visit', undefined, v);
    await call('POST', '/reports', { targetType: 'thread', targetId: fth.body.id, reason: 'spam' }, v);
    await call('POST', '/reports', { targetType: 'user', targetId: v.id, reason: 'spam' }, friend);
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/consent',
      headers: v.headers,
      payload: { analytics: true },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/analytics/events',
      headers: v.headers,
      payload: { events: [{ type: 'read', threadId: fth.body.id, ms: 20_000 }] },
    });
    // A seat at a meetup of one, with the friend waiting behind; a vote; a direct message.
    const ev = await call(
      'POST',
      '/communities/dr-pub/events',
      {
        title: `Kiln night ${tag}`,
        description: 'Bring clay',
        mode: 'in_person',
        location: 'The studio',
        startsAt: new Date(t.clock.now() + 48 * 3_600_000).toISOString(),
        endsAt: new Date(t.clock.now() + 50 * 3_600_000).toISOString(),
        timeZone: 'Europe/Paris',
        capacity: 1,
      },
      owner,
    );
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    expect((await call('POST', `/events/${ev.body.id}/rsvp`, { status: 'going' }, v)).status).toBe(200);
    const waiting = await call('POST', `/events/${ev.body.id}/rsvp`, { status: 'going' }, friend);
    expect(waiting.body.event.myRsvp.status).toBe('waitlisted');
    const pth = await call('POST', '/communities/dr-pub/threads', { title: 'Clay?', body: 'Vote' }, friend);
    const poll = await call(
      'POST',
      `/threads/${pth.body.id}/poll`,
      { question: 'Clay?', options: ['Red', 'White'] },
      friend,
    );
    expect(poll.status, JSON.stringify(poll.body)).toBe(200);
    const red = poll.body.poll.options[0].id;
    expect((await call('POST', `/threads/${pth.body.id}/poll/votes`, { optionIds: [red] }, v)).status).toBe(
      200,
    );
    const dm = await call(
      'POST',
      '/conversations',
      { usernames: [friend.username], body: `Meet at the kiln (${tag}), 4pm` },
      v,
    );
    expect(dm.status, JSON.stringify(dm.body)).toBeLessThan(300);
    // A failed log-in leaves the typed name in login_attempts.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: username, password: 'wrong password!' },
    });
    await t.app.events.drain();
    // The dashboard (rollups, champions) has seen them too.
    expect(
      (await call('GET', '/communities/dr-pub/analytics/members?period=week', undefined, owner)).status,
    ).toBe(200);
    const user = await t.db.selectFrom('users').selectAll().where('id', '=', v.id).executeTakeFirstOrThrow();
    return {
      v,
      threadId: th.body.id as number,
      replyId: reply.body.id as number,
      eventId: ev.body.id as number,
      pollThreadId: pth.body.id as number,
      conversationId: dm.body.conversation.id as number,
      needles: [user.username, user.email, user.display_name, user.bio],
    };
  }

  async function assertGone(needles: string[], id: number) {
    const hits = await findText(t.db, cols, needles);
    expect(hits).toEqual([]);
    const refs = await userReferences(t.db, cols);
    const leftovers: string[] = [];
    for (const ref of refs) {
      const [table, column] = ref.split('.') as [string, string];
      const r = await sql<{
        n: number;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(t.db);
      if (Number(r.rows[0]?.n) > 0) leftovers.push(ref);
    }
    for (const c of userColumns().filter((x) => x.when && x.action !== 'not_a_user')) {
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(c.table)}
        where ${sql.ref(c.column)} = ${id} and ${sql.ref(c.when!.column)} = ${c.when!.equals}`.execute(t.db);
      if (Number(r.rows[0]?.n) > 0) leftovers.push(`${c.table}.${c.column} (${c.when!.equals})`);
    }
    expect(leftovers).toEqual([]);
  }

  it('exports everything the member did, one section per module', async () => {
    const { v, threadId } = await busyMember('exp');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/export', headers: v.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`hearth-${v.username}-`);
    const data = res.json();
    expect(data.format).toBe('hearth-export/1');
    const s = data.sections;
    expect(s.profile).toMatchObject({
      username: v.username,
      email: `${v.username}@example.test`,
      interests: ['pottery'],
    });
    expect(s.threads.map((x: { id: number }) => x.id)).toContain(threadId);
    expect(s.comments.length).toBe(2);
    expect(s.revisions.length).toBeGreaterThan(0);
    expect(s.reactions).toHaveLength(1);
    expect(s.follows.follows).toHaveLength(1);
    expect(s.points.length).toBeGreaterThan(0);
    expect(s.consent.analytics.granted).toBe(true);
    expect(s.consent.history.map((h: { granted: boolean }) => h.granted)).toEqual([true]);
    expect(s.analytics.readingEvents).toHaveLength(1);
    expect(s.memberships.map((m: { community: string }) => m.community).sort()).toEqual([
      'dr-priv',
      'dr-pub',
    ]);
    expect(s.events.rsvps).toMatchObject([{ status: 'going', community: 'dr-pub' }]);
    expect(s.polls.votes).toMatchObject([{ question: 'Clay?', chose: ['Red'] }]);
    expect(s.messages.sent.map((m: { body: string }) => m.body)).toEqual(['Meet at the kiln (exp), 4pm']);
    expect(s.messages.conversations).toHaveLength(1);
    expect(Array.isArray(s.notifications.notifications)).toBe(true);
    expect(s.badges).toBeInstanceOf(Array);
    expect(s.partnerships.creatorProfile).toBeNull();
    expect(JSON.stringify(s)).not.toContain('password');
    expect(JSON.stringify(s.sessions)).not.toMatch(/token_hash|[a-f0-9]{64}/);
    expect((await call('GET', '/me/export', undefined, null)).status).toBe(401);
  });

  it('erases an account (content anonymised): no trace in any table or user column', async () => {
    const { v, threadId, replyId, needles, eventId, pollThreadId, conversationId } = await busyMember('anon');
    const wrong = await call('POST', '/me/erase', { password: 'not my password', content: 'anonymise' }, v);
    expectError(wrong, 403, 'PASSWORD_INCORRECT');
    const done = await call(
      'POST',
      '/me/erase',
      { password: 'correct horse battery', content: 'anonymise' },
      v,
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await t.app.events.drain();
    await assertGone(needles, v.id);
    // The post stays, by "Deleted member"; the friend's reply stays and now mentions the tombstone.
    const th = await call('GET', `/threads/${threadId}`, undefined, owner);
    expect(th.body).toMatchObject({ title: 'Glazes', author: { displayName: 'Deleted member' } });
    const replies = await call('GET', `/threads/${threadId}/comments`, undefined, owner);
    const theReply = replies.body.items.find((c: { id: number }) => c.id === replyId);
    expect(theReply.body).toBe('Try celadon, @deleted-member');
    // Their seat went to the friend on the waitlist; their vote left the counts.
    const ev = await call('GET', `/events/${eventId}`, undefined, friend);
    expect(ev.body).toMatchObject({ goingCount: 1, waitlistCount: 0, myRsvp: { status: 'going' } });
    const poll = await call('GET', `/threads/${pollThreadId}/poll`, undefined, owner);
    expect(poll.body.poll.voterCount).toBe(0);
    // The friend keeps the conversation, the message by "Deleted member".
    const msgs = await call('GET', `/conversations/${conversationId}/messages`, undefined, friend);
    expect(msgs.body.items.map((m: { body: string }) => m.body)).toEqual(['Meet at the kiln (anon), 4pm']);
    // The old token no longer works.
    expect((await call('GET', '/me', undefined, v)).status).toBe(401);
  });

  it("erases an account (content deleted): text gone, other members' replies kept", async () => {
    const { v, threadId, replyId, needles, conversationId } = await busyMember('del');
    const done = await call('POST', '/me/erase', { password: 'correct horse battery', content: 'delete' }, v);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await t.app.events.drain();
    await assertGone([...needles, 'Which glaze for stoneware (del)', 'Meet at the kiln (del)'], v.id);
    const msgs = await call('GET', `/conversations/${conversationId}/messages`, undefined, friend);
    expect(msgs.status).toBe(200);
    const replies = await call('GET', `/threads/${threadId}/comments`, undefined, owner);
    expect(replies.body.items.some((c: { id: number }) => c.id === replyId)).toBe(true);
  });

  it('refuses to erase the only owner of a community with members', async () => {
    const res = await call(
      'POST',
      '/me/erase',
      { password: 'correct horse battery', content: 'anonymise' },
      owner,
    );
    expectError(res, 409, 'SOLE_OWNER');
    expect((await call('GET', '/me', undefined, owner)).status).toBe(200);
  });
});
