import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 10: events (meetups) with RSVPs, waitlist, reminders, check-in and calendar feeds;
 * polls in threads; collaborations between communities (collaborations, co-hosted events,
 * cross-posted threads).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  const ts = 'bigint' as const;
  const community = (c: any) => c.references('communities.id').onDelete('cascade');
  const user = (c: any) => c.references('users.id').onDelete('cascade');

  // --- events ---
  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('location', 'varchar(300)', (c) => c.notNull())
    .addColumn('online_url', 'varchar(500)')
    .addColumn('starts_at', ts, (c) => c.notNull())
    .addColumn('ends_at', ts, (c) => c.notNull())
    .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('going_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('maybe_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waitlist_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Hands out waitlist positions in order; bumped under the event's row lock.
    .addColumn('waitlist_seq', 'integer', (c) => c.notNull().defaultTo(0))
    // Incremented by every RSVP change: the write that takes the row lock on PostgreSQL.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('events_community_start')
    .on('events')
    .columns(['community_id', 'starts_at'])
    .execute();
  await db.schema.createIndex('events_start').on('events').column('starts_at').execute();

  await db.schema
    .createTable('event_rsvps')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('waitlist_pos', 'integer')
    .addColumn('checked_in_at', ts)
    .addColumn('checked_in_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_rsvps_pk', ['event_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('event_rsvps_user')
    .on('event_rsvps')
    .columns(['user_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('event_rsvps_waitlist')
    .on('event_rsvps')
    .columns(['event_id', 'status', 'waitlist_pos'])
    .execute();

  // One row per (event, member, kind) ever sent: the primary key makes each reminder exactly-once.
  await db.schema
    .createTable('event_reminders')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('sent_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_reminders_pk', ['event_id', 'user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('event_settings')
    .addColumn('community_id', 'integer', (c) => community(c).primaryKey())
    .addColumn('create_policy', 'varchar(16)', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  // Secret calendar feed URLs (calendar apps send no cookies); only the hash is stored.
  await db.schema
    .createTable('calendar_tokens')
    .addColumn('user_id', 'integer', (c) => user(c).primaryKey())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  // --- polls (content module) ---
  await db.schema
    .createTable('polls')
    .addColumn('id', 'integer', id)
    .addColumn('thread_id', 'integer', (c) =>
      c.notNull().unique().references('threads.id').onDelete('cascade'),
    )
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('question', 'varchar(300)', (c) => c.notNull())
    .addColumn('max_choices', 'integer', (c) => c.notNull())
    .addColumn('closes_at', ts)
    .addColumn('voter_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('poll_options')
    .addColumn('id', 'integer', id)
    .addColumn('poll_id', 'integer', (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'varchar(200)', (c) => c.notNull())
    .addColumn('vote_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('poll_options_poll')
    .on('poll_options')
    .columns(['poll_id', 'position'])
    .execute();
  // One ballot per member and poll: the primary key is what makes voting once atomic.
  await db.schema
    .createTable('poll_ballots')
    .addColumn('poll_id', 'integer', (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('option_ids', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('poll_ballots_pk', ['poll_id', 'user_id'])
    .execute();

  // --- collaborations ---
  // One row per pair of communities (low id, high id), whatever its history: re-proposing reuses it.
  await db.schema
    .createTable('collaborations')
    .addColumn('id', 'integer', id)
    .addColumn('community_low', 'integer', (c) => community(c).notNull())
    .addColumn('community_high', 'integer', (c) => community(c).notNull())
    .addColumn('proposer_community', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('proposed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('accepted_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('ended_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('accepted_at', ts)
    .addColumn('ended_at', ts)
    .addUniqueConstraint('collaborations_pair', ['community_low', 'community_high'])
    .execute();
  await db.schema.createIndex('collaborations_high').on('collaborations').column('community_high').execute();

  await db.schema
    .createTable('thread_crossposts')
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('origin_community_id', 'integer', (c) => community(c).notNull())
    .addColumn('collaboration_id', 'integer', (c) =>
      c.notNull().references('collaborations.id').onDelete('cascade'),
    )
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_crossposts_pk', ['thread_id', 'community_id'])
    .execute();
  await db.schema
    .createIndex('thread_crossposts_community')
    .on('thread_crossposts')
    .columns(['community_id', 'thread_id'])
    .execute();

  await db.schema
    .createTable('event_cohosts')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('collaboration_id', 'integer', (c) =>
      c.notNull().references('collaborations.id').onDelete('cascade'),
    )
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_cohosts_pk', ['event_id', 'community_id'])
    .execute();
  await db.schema
    .createIndex('event_cohosts_community')
    .on('event_cohosts')
    .columns(['community_id', 'event_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'event_cohosts',
    'thread_crossposts',
    'collaborations',
    'poll_ballots',
    'poll_options',
    'polls',
    'calendar_tokens',
    'event_settings',
    'event_reminders',
    'event_rsvps',
    'events',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
