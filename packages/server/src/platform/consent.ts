import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import { DAY } from './clock.ts';

/**
 * Consent to behavioural analytics, shared by every module that records what people do
 * (reading time, visits, tracked link clicks). Privacy by default: a member who never
 * answered has not consented. Public contributions (threads, comments, reactions) are
 * counted either way; what consent governs is whether behaviour is stored as *theirs*.
 * Without consent, behaviour may only be kept under `anonymousKey`: a hash with a salt that
 * rotates every UTC day and is deleted after it, so no raw id is stored and keys of two
 * days cannot be linked.
 */
type Q = Db | Transaction<DB>;

export async function hasAnalyticsConsent(db: Q, userId: number | null | undefined): Promise<boolean> {
  if (userId == null) return false;
  const row = await db
    .selectFrom('analytics_consent')
    .select('granted')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.granted === 1;
}

/** Records the member's choice and its history row (the history is part of their data export). */
export async function setAnalyticsConsent(
  trx: Transaction<DB>,
  userId: number,
  granted: boolean,
  now: number,
): Promise<void> {
  const value = granted ? 1 : 0;
  await trx
    .insertInto('analytics_consent')
    .values({ user_id: userId, granted: value, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ granted: value, updated_at: now }))
    .execute();
  await trx
    .insertInto('consent_history')
    .values({ user_id: userId, kind: 'analytics', granted: value, changed_at: now })
    .execute();
}

export const utcDay = (ms: number): number => Math.floor(ms / DAY);

/**
 * A key for `subject` (a user id, or an IP address with a user agent) that is stable within
 * one UTC day and unlinkable across days once the day's salt is gone (`dropOldSalts`).
 */
export async function anonymousKey(db: Q, subject: string, now: number): Promise<string> {
  const day = utcDay(now);
  let row = await db.selectFrom('daily_salts').select('salt').where('day', '=', day).executeTakeFirst();
  if (!row) {
    await db
      .insertInto('daily_salts')
      .values({ day, salt: randomBytes(24).toString('base64url') })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    row = await db.selectFrom('daily_salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
  }
  return createHash('sha256').update(`${row.salt}:${subject}`).digest('base64url').slice(0, 22);
}

/** Deletes the salts of days before yesterday (a day's late events may still arrive just after midnight). */
export async function dropOldSalts(db: Q, now: number): Promise<number> {
  const res = await db
    .deleteFrom('daily_salts')
    .where('day', '<', utcDay(now) - 1)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
