import { verify } from '@node-rs/argon2';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, iso, isoOrNull } from '../../platform/clock.ts';
import { setAnalyticsConsent } from '../../platform/consent.ts';
import {
  type ErasureContext,
  erasureSteps,
  exportSections,
  type UserColumn,
  userColumns,
} from '../../platform/data-rights.ts';
import { fail } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import './export.sections.ts';
import './privacy.events.ts';
import './privacy.plan.ts';

export interface PrivacyDeps {
  db: Db;
  events: Events;
  clock: Clock;
  retentionDays: number;
}

/** The member's analytics consent: `answered` is false until they chose (privacy by default: not granted). */
export async function getConsent(deps: PrivacyDeps, viewer: Viewer) {
  const row = await deps.db
    .selectFrom('analytics_consent')
    .select(['granted', 'updated_at'])
    .where('user_id', '=', viewer.userId)
    .executeTakeFirst();
  const history = await deps.db
    .selectFrom('consent_history')
    .select(['kind', 'granted', 'changed_at'])
    .where('user_id', '=', viewer.userId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return {
    analytics: row?.granted === 1,
    answered: row != null,
    updatedAt: isoOrNull(row?.updated_at),
    retentionDays: deps.retentionDays,
    history: history.map((h) => ({ kind: h.kind, granted: h.granted === 1, changedAt: iso(h.changed_at) })),
  };
}

/** Records the choice (with a history row); withdrawing forgets reading stored as theirs (analytics handler). */
export async function putConsent(deps: PrivacyDeps, viewer: Viewer, analytics: boolean) {
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await setAnalyticsConsent(trx, viewer.userId, analytics, now);
    await deps.events.emit(trx, 'privacy.consent_changed', { userId: viewer.userId, granted: analytics });
  });
  return getConsent(deps, viewer);
}

/** Everything the member's data is, one section per module (platform/data-rights.ts registry). */
export async function exportData(deps: PrivacyDeps, viewer: Viewer) {
  const sections: Record<string, unknown> = {};
  for (const [name, fn] of exportSections()) sections[name] = await fn(deps.db, viewer.userId);
  return { format: 'hearth-export/1', exportedAt: iso(deps.clock.now()), sections };
}

const TOMBSTONE = { username: 'deleted-member', displayName: 'Deleted member' };

/** The one account erased members' kept content points at; its username cannot be signed up for. */
async function tombstoneId(trx: Transaction<DB>, now: number): Promise<number> {
  const existing = await trx
    .selectFrom('privacy_tombstone')
    .select('user_id')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (existing) return existing.user_id;
  let name = TOMBSTONE.username;
  for (
    let i = 2;
    await trx.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst();
    i++
  ) {
    name = `${TOMBSTONE.username}-${i}`;
  }
  const u = await trx
    .insertInto('users')
    .values({
      username: name,
      email: `${name}@erased.invalid`,
      password_hash: null,
      display_name: TOMBSTONE.displayName,
      bio: '',
      avatar_url: null,
      is_admin: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('privacy_tombstone').values({ id: 1, user_id: u.id }).execute();
  return u.id;
}

/**
 * Erases the account in one transaction: registered steps first (content anonymised or
 * deleted as chosen, mentions rewritten, reactions recounted, memberships), then every
 * declared user column is deleted, nulled or pointed at the tombstone, then the user row.
 * Refused while they are the only owner of a community that has other members.
 */
export async function erase(
  deps: PrivacyDeps,
  viewer: Viewer,
  body: { password: string; content: 'anonymise' | 'delete' },
) {
  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', viewer.userId)
    .executeTakeFirstOrThrow();
  if (!user.password_hash || !(await verify(user.password_hash, body.password))) {
    fail('PASSWORD_INCORRECT', 'That is not your password');
  }
  const sole = await soleOwnerships(deps.db, viewer.userId);
  if (sole.length) {
    fail('SOLE_OWNER', `You are the only owner of ${sole.join(', ')}: make another member an owner first`);
  }
  const now = deps.clock.now();
  const counts: Record<string, number> = {};
  await deps.db.transaction().execute(async (trx) => {
    const ctx: ErasureContext = {
      userId: user.id,
      username: user.username,
      email: user.email,
      displayName: user.display_name,
      tombstoneId: await tombstoneId(trx, now),
      content: body.content,
      now,
      events: deps.events,
    };
    for (const step of erasureSteps()) await step.run(trx, ctx);
    const cols = userColumns();
    const order: UserColumn['action'][] = ['tombstone', 'null', 'delete'];
    for (const action of order) {
      for (const c of cols.filter((x) => x.action === action)) {
        counts[`${c.table}.${c.column}`] = await applyColumn(trx, c, ctx);
      }
    }
    await trx.deleteFrom('users').where('id', '=', user.id).execute();
    await trx.insertInto('privacy_erasures').values({ content: body.content, erased_at: now }).execute();
  });
  return { ok: true, content: body.content, rows: counts };
}

async function applyColumn(trx: Transaction<DB>, c: UserColumn, ctx: ErasureContext): Promise<number> {
  const table = sql.table(c.table);
  const col = sql.ref(c.column);
  const when = c.when ? sql` and ${sql.ref(c.when.column)} = ${c.when.equals}` : sql``;
  const where = sql`${col} = ${ctx.userId}${when}`;
  const q =
    c.action === 'delete'
      ? sql`delete from ${table} where ${where}`
      : sql`update ${table} set ${col} = ${c.action === 'null' ? null : ctx.tombstoneId} where ${where}`;
  const r = await q.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Communities with other members where this member is the only active owner. */
async function soleOwnerships(db: Db, userId: number): Promise<string[]> {
  const owned = await db
    .selectFrom('memberships')
    .innerJoin('communities', 'communities.id', 'memberships.community_id')
    .select(['communities.id', 'communities.slug'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.role', '=', 'owner')
    .where('memberships.status', '=', 'active')
    .execute();
  const out: string[] = [];
  for (const c of owned) {
    const others = await db
      .selectFrom('memberships')
      .select('user_id')
      .where('community_id', '=', c.id)
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .where('user_id', '!=', userId)
      .limit(1)
      .executeTakeFirst();
    if (others) continue;
    // A community nobody else belongs to can be left without an owner (site admins still manage it).
    const members = await db
      .selectFrom('memberships')
      .select('user_id')
      .where('community_id', '=', c.id)
      .where('status', '=', 'active')
      .where('user_id', '!=', userId)
      .limit(1)
      .executeTakeFirst();
    if (members) out.push(`"${c.slug}"`);
  }
  return out;
}
