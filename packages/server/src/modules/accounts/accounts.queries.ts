import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const findUserById = (db: Q, id: number) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByUsername = (db: Q, username: string) =>
  db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();

/** Log-in accepts a username or an email. */
export const findUserByLogin = (db: Q, login: string) => {
  const key = login.trim().toLowerCase();
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('username', '=', key), eb('email', '=', key)]))
    .executeTakeFirst();
};

export const findUserByUsernameOrEmail = (db: Q, username: string, email: string) =>
  db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('username', '=', username), eb('email', '=', email)]))
    .executeTakeFirst();

export const listInterests = async (db: Q, userId: number): Promise<string[]> =>
  (
    await db
      .selectFrom('user_interests')
      .innerJoin('tags', 'tags.id', 'user_interests.tag_id')
      .select('tags.name')
      .where('user_interests.user_id', '=', userId)
      .orderBy('tags.name')
      .execute()
  ).map((r) => r.name);

export async function replaceInterests(db: Q, userId: number, tagIds: number[]) {
  await db.deleteFrom('user_interests').where('user_id', '=', userId).execute();
  if (tagIds.length) {
    await db
      .insertInto('user_interests')
      .values(tagIds.map((tag_id) => ({ user_id: userId, tag_id })))
      .execute();
  }
}

/** Failed log-ins since `since`, for one account key and for one IP. */
export async function countRecentFailures(db: Q, accountKey: string, ip: string, since: number) {
  const [byAccount, byIp] = await Promise.all([
    db
      .selectFrom('login_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('account_key', '=', accountKey)
      .where('success', '=', 0)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('login_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('ip', '=', ip)
      .where('success', '=', 0)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    account: { n: Number(byAccount.n), oldest: byAccount.oldest == null ? null : Number(byAccount.oldest) },
    ip: { n: Number(byIp.n), oldest: byIp.oldest == null ? null : Number(byIp.oldest) },
  };
}

export const recordLoginAttempt = (db: Q, accountKey: string, ip: string, success: boolean, now: number) =>
  db
    .insertInto('login_attempts')
    .values({ account_key: accountKey, ip, success: success ? 1 : 0, created_at: now })
    .execute();

export const deleteLoginAttemptsBefore = (db: Q, before: number) =>
  db.deleteFrom('login_attempts').where('created_at', '<', before).execute();

export const deleteExpiredSessions = (db: Q, now: number) =>
  db.deleteFrom('sessions').where('expires_at', '<', now).execute();

export const listTokens = (db: Q, userId: number) =>
  db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
