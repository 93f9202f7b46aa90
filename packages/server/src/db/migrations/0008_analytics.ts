import type { Kysely } from 'kysely';
import { clusteredByKey, dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 8: engagement analytics. Raw reading events (kept for a retention period, then only
 * the rollups), rollups updated incrementally by the ingestion endpoint and by domain events
 * (and rebuildable from the content tables for imported history), and the privacy module's
 * registry of erased accounts' tombstone.
 *
 * Privacy: `user_id` is only ever written for members who consented to analytics; everyone
 * else's reading is stored under a daily-salted `visitor` key or only as counts.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const id = idColumn(dialect);
  const clustered = clusteredByKey(dialect);
  const ts = 'bigint' as const;
  const community = (c: any) => c.notNull().references('communities.id').onDelete('cascade');
  const counter = (c: any) => c.notNull().defaultTo(0);

  // Raw reading events (POST /analytics/events), deleted after the retention period.
  await db.schema
    .createTable('analytics_events')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', community)
    .addColumn('thread_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    // Set only with the member's consent; otherwise null and `visitor` holds the daily key.
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('visitor', 'varchar(32)')
    .addColumn('ms', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analytics_events_time').on('analytics_events').column('created_at').execute();
  // Only consented events carry a user id (export, consent withdrawal, erasure look them up).
  await db.schema
    .createIndex('analytics_events_user')
    .on('analytics_events')
    .columns(['user_id', 'created_at'])
    .where('user_id', 'is not', null)
    .execute();

  // Contributions per community and UTC day (rebuildable from the content tables).
  await db.schema
    .createTable('analytics_days')
    .addColumn('community_id', 'integer', community)
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('threads', 'integer', counter)
    .addColumn('comments', 'integer', counter)
    .addColumn('reactions', 'integer', counter)
    .addColumn('new_members', 'integer', counter)
    .addColumn('left_members', 'integer', counter)
    .addColumn('sentiment_n', 'integer', counter)
    .addColumn('sentiment_sum', 'double precision', counter)
    .addColumn('positive', 'integer', counter)
    .addColumn('negative', 'integer', counter)
    .addColumn('mod_actions', 'integer', counter)
    .addColumn('reports', 'integer', counter)
    .addPrimaryKeyConstraint('analytics_days_pk', ['community_id', 'day'])
    .modifyEnd(clustered)
    .execute();

  // Reading per community and day, everyone included (anonymous counts; not rebuildable).
  await db.schema
    .createTable('analytics_read_days')
    .addColumn('community_id', 'integer', community)
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('views', 'integer', counter)
    .addColumn('reads', 'integer', counter)
    .addColumn('read_ms', ts, counter)
    .addColumn('readers', 'integer', counter)
    .addPrimaryKeyConstraint('analytics_read_days_pk', ['community_id', 'day'])
    .modifyEnd(clustered)
    .execute();

  // Distinct daily readers: one row per (community, thread or 0, day, daily key); pruned after two days.
  await db.schema
    .createTable('analytics_visitors')
    .addColumn('community_id', 'integer', community)
    .addColumn('thread_id', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('visitor', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_visitors_pk', ['community_id', 'thread_id', 'day', 'visitor'])
    .modifyEnd(clustered)
    .execute();
  await db.schema.createIndex('analytics_visitors_day').on('analytics_visitors').column('day').execute();

  // Per-member activity per calendar bucket: grain 'd' (UTC day), 'w' (ISO week), 'm' (month).
  // Contribution counters are public facts; read_ms/views are only written with consent.
  await db.schema
    .createTable('analytics_member_activity')
    .addColumn('community_id', 'integer', community)
    .addColumn('grain', 'varchar(1)', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('threads', 'integer', counter)
    .addColumn('comments', 'integer', counter)
    .addColumn('reactions', 'integer', counter)
    .addColumn('replies_received', 'integer', counter)
    .addColumn('read_ms', ts, counter)
    .addColumn('views', 'integer', counter)
    .addPrimaryKeyConstraint('analytics_member_activity_pk', ['community_id', 'grain', 'bucket', 'user_id'])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex('analytics_member_activity_user')
    .on('analytics_member_activity')
    .columns(['user_id', 'community_id'])
    .execute();

  // Members: join date (cohorts) and first contribution (activation).
  await db.schema
    .createTable('analytics_members')
    .addColumn('community_id', 'integer', community)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', ts, (c) => c.notNull())
    .addColumn('join_week', 'integer', (c) => c.notNull())
    .addColumn('first_contribution_at', ts)
    .addColumn('left_at', ts)
    .addPrimaryKeyConstraint('analytics_members_pk', ['community_id', 'user_id'])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex('analytics_members_cohort')
    .on('analytics_members')
    .columns(['community_id', 'join_week'])
    .execute();
  await db.schema
    .createIndex('analytics_members_joined')
    .on('analytics_members')
    .columns(['community_id', 'joined_at'])
    .execute();

  // Per thread: depth and response facts (rebuildable) and reading totals.
  await db.schema
    .createTable('analytics_threads')
    .addColumn('thread_id', 'integer', (c) => c.primaryKey().references('threads.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', community)
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('replies', 'integer', counter)
    .addColumn('repliers', 'integer', counter)
    .addColumn('max_depth', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('first_response_at', ts)
    .addColumn('reactions', 'integer', counter)
    .addColumn('deleted', 'integer', counter)
    .execute();
  await db.schema
    .createIndex('analytics_threads_created')
    .on('analytics_threads')
    .columns(['community_id', 'created_at'])
    .execute();

  // Per thread and day: reading (everyone, as counts) and comments.
  await db.schema
    .createTable('analytics_thread_days')
    .addColumn('community_id', 'integer', community)
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('views', 'integer', counter)
    .addColumn('reads', 'integer', counter)
    .addColumn('read_ms', ts, counter)
    .addColumn('readers', 'integer', counter)
    .addColumn('comments', 'integer', counter)
    .addPrimaryKeyConstraint('analytics_thread_days_pk', ['community_id', 'day', 'thread_id'])
    .modifyEnd(clustered)
    .execute();

  // Who replied to whom, per day (champions, newcomers without a reply).
  await db.schema
    .createTable('analytics_replies')
    .addColumn('community_id', 'integer', community)
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('to_user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('from_user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('n', 'integer', counter)
    .addPrimaryKeyConstraint('analytics_replies_pk', ['community_id', 'day', 'to_user_id', 'from_user_id'])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex('analytics_replies_to')
    .on('analytics_replies')
    .columns(['community_id', 'to_user_id'])
    .execute();

  // When a community's rollups were last rebuilt from the content tables.
  await db.schema
    .createTable('analytics_state')
    .addColumn('community_id', 'integer', (c) =>
      c.primaryKey().references('communities.id').onDelete('cascade'),
    )
    .addColumn('rebuilt_at', ts, (c) => c.notNull())
    .execute();

  // Privacy: the one account erased members' kept content is attributed to.
  await db.schema
    .createTable('privacy_tombstone')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createTable('privacy_erasures')
    .addColumn('id', 'integer', id)
    .addColumn('content', 'varchar(16)', (c) => c.notNull())
    .addColumn('erased_at', ts, (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'privacy_erasures',
    'privacy_tombstone',
    'analytics_state',
    'analytics_replies',
    'analytics_thread_days',
    'analytics_threads',
    'analytics_members',
    'analytics_member_activity',
    'analytics_visitors',
    'analytics_read_days',
    'analytics_days',
    'analytics_events',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
