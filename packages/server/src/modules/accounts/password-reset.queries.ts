import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const findUserByEmail = (db: Q, email: string) =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'display_name'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();

export async function countRecentResets(db: Q, userId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom('password_resets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export const insertReset = (db: Q, r: DB['password_resets']) =>
  db.insertInto('password_resets').values(r).execute();

export const findReset = (db: Q, hash: string) =>
  db.selectFrom('password_resets').selectAll().where('token_hash', '=', hash).executeTakeFirst();

/** Uses the token once: true only for the one caller that flipped it. */
export async function consumeReset(db: Q, hash: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const voidOtherResets = (db: Q, userId: number, now: number) =>
  db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();

export const setPassword = (db: Q, userId: number, hash: string, now: number) =>
  db.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', userId).execute();

export const endAllSessions = (db: Q, userId: number) =>
  db.deleteFrom('sessions').where('user_id', '=', userId).execute();

export const pruneResets = (db: Q, before: number) =>
  db.deleteFrom('password_resets').where('expires_at', '<', before).execute();
