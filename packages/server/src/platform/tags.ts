import type { Transaction } from 'kysely';
import type { Db } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import { invalid } from './errors.ts';

/** Tags are shared by content (#tags on threads) and accounts (interests). */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function normalizeTag(raw: string, field = 'tags'): string {
  const t = raw.trim().replace(/^#/, '').toLowerCase();
  if (!TAG_PATTERN.test(t)) invalid(field, `"${raw}" is not a tag (letters, digits and dashes, up to 32)`);
  return t;
}

/** Returns the ids of the named tags, creating the missing ones. */
export async function ensureTags(
  trx: Transaction<DB> | Db,
  names: string[],
  now: number,
): Promise<Map<string, number>> {
  const unique = [...new Set(names)];
  const ids = new Map<string, number>();
  if (!unique.length) return ids;
  await trx
    .insertInto('tags')
    .values(unique.map((name) => ({ name, created_at: now })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await trx.selectFrom('tags').select(['id', 'name']).where('name', 'in', unique).execute();
  for (const r of rows) ids.set(r.name, r.id);
  return ids;
}
