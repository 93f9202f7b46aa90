import { fail } from './errors.ts';
import { MAX_ID } from './schema.ts';

/**
 * Opaque keyset cursors: base64url of a JSON array holding the sort key of the
 * last row returned (e.g. [hotRank, id]). Clients pass them back untouched.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Shape of a cursor: 'number' is any finite number (a float column such as a rank), 'int' a
 * safe integer (a timestamp or count column: PostgreSQL refuses `1.5` or `5e-324` for bigint),
 * 'id' a row id, 'string' a string.
 */
export type CursorPart = 'number' | 'int' | 'id' | 'string';

export function decodeCursor(
  cursor: string | undefined,
  shape: readonly CursorPart[],
): (string | number)[] | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    fail('INVALID_CURSOR', 'cursor: not a cursor this server issued');
  }
  const fits = (v: unknown, kind: (typeof shape)[number]) =>
    kind === 'string'
      ? typeof v === 'string'
      : kind === 'id'
        ? Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ID
        : kind === 'int'
          ? Number.isSafeInteger(v)
          : typeof v === 'number' && Number.isFinite(v);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== shape.length ||
    parsed.some((v, i) => !fits(v, shape[i]!))
  ) {
    fail('INVALID_CURSOR', 'cursor: not a cursor for this list');
  }
  return parsed as (string | number)[];
}

/** Takes `limit + 1` rows and tells whether there is a next page. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
