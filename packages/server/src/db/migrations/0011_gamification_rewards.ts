import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 7 (complete): per-community gamification settings, badges (rule and manual), the badge
 * evaluation queue, rewards and their redemptions, the gamification log; the points ledger learns
 * which thread a point came from (per-tag leaderboards, take-backs of a whole thread) and who
 * caused it (reaction rings); threads gain an accepted answer.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  const ts = 'bigint' as const;
  // biome-ignore lint/suspicious/noExplicitAny: column builder of the untyped schema
  const community = (c: any) => c.references('communities.id').onDelete('cascade').notNull();
  // biome-ignore lint/suspicious/noExplicitAny: column builder of the untyped schema
  const user = (c: any) => c.references('users.id').onDelete('cascade').notNull();
  // biome-ignore lint/suspicious/noExplicitAny: column builder of the untyped schema
  const byUser = (c: any) => c.references('users.id').onDelete('set null');

  // Accepted answer (content): the thread's author or a moderator marks one comment.
  await db.schema.alterTable('threads').addColumn('accepted_comment_id', 'integer').execute();

  await db.schema.alterTable('points_ledger').addColumn('thread_id', 'integer').execute();
  await db.schema.alterTable('points_ledger').addColumn('actor_id', 'integer').execute();
  await backfillLedger(db);
  await db.schema.createIndex('points_ledger_thread').on('points_ledger').column('thread_id').execute();
  await db.schema
    .createIndex('points_ledger_period')
    .on('points_ledger')
    .columns(['community_id', 'created_at'])
    .execute();
  // The member's balance row: redemptions lock it (PostgreSQL) and bump it, so two spends take turns.
  await db.schema
    .alterTable('gamification_prefs')
    .addColumn('balance_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('gamification_settings')
    .addColumn('community_id', 'integer', (c) => community(c).primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', byUser)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('badges')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', community)
    .addColumn('slug', 'varchar(48)', (c) => c.notNull())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'varchar(300)', (c) => c.notNull())
    .addColumn('tier', 'varchar(8)', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', byUser)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('badges_slug', ['community_id', 'slug'])
    .execute();
  // One row per member and badge, ever: the unique key makes evaluation idempotent, and a revoked
  // badge keeps its row (revoked_at) so the job does not grant it again.
  await db.schema
    .createTable('member_badges')
    .addColumn('id', 'integer', id)
    .addColumn('badge_id', 'integer', (c) => c.references('badges.id').onDelete('cascade').notNull())
    .addColumn('community_id', 'integer', community)
    .addColumn('user_id', 'integer', user)
    .addColumn('granted_at', ts, (c) => c.notNull())
    .addColumn('granted_by', 'integer', byUser)
    .addColumn('reason', 'varchar(300)', (c) => c.notNull().defaultTo(''))
    .addColumn('revoked_at', ts)
    .addColumn('revoked_by', 'integer', byUser)
    .addColumn('seen_at', ts)
    .addUniqueConstraint('member_badges_once', ['badge_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('member_badges_member')
    .on('member_badges')
    .columns(['user_id', 'community_id'])
    .execute();
  // Members whose badges need a look (filled by event handlers, emptied by the badge job).
  await db.schema
    .createTable('badge_queue')
    .addColumn('community_id', 'integer', community)
    .addColumn('user_id', 'integer', user)
    .addColumn('queued_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('badge_queue_pk', ['community_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('gamification_log')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', community)
    .addColumn('actor_id', 'integer', byUser)
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('target_user_id', 'integer', byUser)
    .addColumn('badge_id', 'integer', (c) => c.references('badges.id').onDelete('set null'))
    .addColumn('reward_id', 'integer')
    .addColumn('reason', 'varchar(300)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('gamification_log_community')
    .on('gamification_log')
    .columns(['community_id', 'id'])
    .execute();

  await db.schema
    .createTable('rewards')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', community)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'varchar(120)', (c) => c.notNull())
    .addColumn('description', 'varchar(2000)', (c) => c.notNull())
    .addColumn('cost_points', 'integer', (c) => c.notNull())
    .addColumn('required_badge_id', 'integer', (c) => c.references('badges.id').onDelete('set null'))
    .addColumn('min_level', 'integer')
    .addColumn('stock', 'integer')
    .addColumn('per_member_limit', 'integer')
    .addColumn('secret', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', byUser)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rewards_community').on('rewards').columns(['community_id', 'id']).execute();
  await db.schema
    .createTable('reward_redemptions')
    .addColumn('id', 'integer', id)
    .addColumn('reward_id', 'integer', (c) => c.references('rewards.id').onDelete('cascade').notNull())
    .addColumn('community_id', 'integer', community)
    .addColumn('user_id', 'integer', user)
    .addColumn('points_spent', 'integer', (c) => c.notNull())
    .addColumn('code', 'varchar(200)')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reward_redemptions_member')
    .on('reward_redemptions')
    .columns(['reward_id', 'user_id'])
    .execute();
  // Partner promo codes, one per redemption; revealed only to the member who got it.
  await db.schema
    .createTable('reward_codes')
    .addColumn('id', 'integer', id)
    .addColumn('reward_id', 'integer', (c) => c.references('rewards.id').onDelete('cascade').notNull())
    .addColumn('code', 'varchar(200)', (c) => c.notNull())
    .addColumn('redemption_id', 'integer')
    .execute();
  await db.schema
    .createIndex('reward_codes_free')
    .on('reward_codes')
    .columns(['reward_id', 'redemption_id'])
    .execute();
}

/**
 * Ledger rows written before this migration carry their thread and actor only in the source
 * key (`thread:{id}`, `comment:{id}`, `reaction:{type}:{target}:{reactor}`): copy them out.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
async function backfillLedger(db: Kysely<any>) {
  const rows: { id: number; source: string }[] = await db
    .selectFrom('points_ledger')
    .select(['id', 'source'])
    .where('source', 'not like', 'visit:%')
    .execute();
  if (!rows.length) return;
  const commentThreads = new Map<number, number>();
  const commentIds = rows.flatMap((r) => {
    const m = /^(?:comment:|reaction:comment:)(\d+)/.exec(r.source);
    return m ? [Number(m[1])] : [];
  });
  for (let i = 0; i < commentIds.length; i += 500) {
    const chunk = commentIds.slice(i, i + 500);
    const found: { id: number; thread_id: number }[] = await db
      .selectFrom('comments')
      .select(['id', 'thread_id'])
      .where('id', 'in', chunk)
      .execute();
    for (const c of found) commentThreads.set(c.id, c.thread_id);
  }
  for (const r of rows) {
    const parts = r.source.split(':');
    let threadId: number | null = null;
    let actorId: number | null = null;
    if (parts[0] === 'thread') threadId = Number(parts[1]);
    if (parts[0] === 'comment') threadId = commentThreads.get(Number(parts[1])) ?? null;
    if (parts[0] === 'reaction') {
      const target = Number(parts[2]);
      threadId = parts[1] === 'thread' ? target : (commentThreads.get(target) ?? null);
      actorId = Number(parts[3]);
    }
    await db
      .updateTable('points_ledger')
      .set({ thread_id: threadId, actor_id: actorId })
      .where('id', '=', r.id)
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'reward_codes',
    'reward_redemptions',
    'rewards',
    'gamification_log',
    'badge_queue',
    'member_badges',
    'badges',
    'gamification_settings',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.dropIndex('points_ledger_period').ifExists().execute();
  await db.schema.dropIndex('points_ledger_thread').ifExists().execute();
  await db.schema.alterTable('gamification_prefs').dropColumn('balance_version').execute();
  await db.schema.alterTable('points_ledger').dropColumn('actor_id').execute();
  await db.schema.alterTable('points_ledger').dropColumn('thread_id').execute();
  await db.schema.alterTable('threads').dropColumn('accepted_comment_id').execute();
}
