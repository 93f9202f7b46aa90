import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 5: realtime (resumable live events, presence), notifications (inbox, preferences,
 * community watches, digests, unsubscribe tokens), direct messages (conversations, members,
 * messages, blocks, who may write to whom, reported-message snapshots), the mail queue and
 * password resets.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  const ts = 'bigint' as const;
  // biome-ignore lint/suspicious/noExplicitAny: column builder
  const user = (c: any) => c.references('users.id').onDelete('cascade');

  // --- realtime: every event fanned out, kept a short while so reconnecting clients catch up
  await db.schema
    .createTable('live_events')
    .addColumn('id', 'integer', id)
    .addColumn('channel', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(48)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_events_channel').on('live_events').columns(['channel', 'id']).execute();
  await db.schema.createIndex('live_events_created').on('live_events').column('created_at').execute();
  await db.schema
    .createTable('user_presence')
    .addColumn('user_id', 'integer', (c) => user(c).primaryKey())
    .addColumn('last_active_at', ts, (c) => c.notNull())
    .execute();

  // --- notifications
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('community_id', 'integer', (c) => c.references('communities.id').onDelete('cascade'))
    .addColumn('thread_id', 'integer')
    .addColumn('target_type', 'varchar(16)')
    .addColumn('target_id', 'integer')
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('group_key', 'varchar(96)')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('read_at', ts)
    .addColumn('emailed_at', ts)
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema
    .createIndex('notifications_group')
    .on('notifications')
    .columns(['user_id', 'group_key'])
    .execute();
  await db.schema
    .createTable('notification_prefs')
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_prefs_pk', ['user_id', 'type'])
    .execute();
  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'integer', (c) => user(c).primaryKey())
    .addColumn('digest', 'varchar(16)', (c) => c.notNull())
    .addColumn('last_digest_at', ts)
    .execute();
  await db.schema
    .createTable('community_watches')
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('community_watches_pk', ['user_id', 'community_id'])
    .execute();
  await db.schema.createIndex('community_watches_c').on('community_watches').column('community_id').execute();
  await db.schema
    .createTable('unsubscribe_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  // --- direct messages
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'integer', id)
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    // "min:max" user ids for a one-to-one conversation, so there is only ever one per pair.
    .addColumn('direct_key', 'varchar(32)', (c) => c.unique())
    .addColumn('title', 'varchar(100)')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_message_at', ts)
    .execute();
  await db.schema
    .createTable('conversation_members')
    .addColumn('conversation_id', 'integer', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('joined_at', ts, (c) => c.notNull())
    .addColumn('last_read_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('left_at', ts)
    .addPrimaryKeyConstraint('conversation_members_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('conversation_members_user')
    .on('conversation_members')
    .column('user_id')
    .execute();
  await db.schema
    .createTable('messages')
    .addColumn('id', 'integer', id)
    .addColumn('conversation_id', 'integer', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('sender_id', 'integer', (c) => user(c).notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('messages_conversation')
    .on('messages')
    .columns(['conversation_id', 'id'])
    .execute();
  await db.schema
    .createTable('blocks')
    .addColumn('blocker_id', 'integer', (c) => user(c).notNull())
    .addColumn('blocked_id', 'integer', (c) => user(c).notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
    .execute();
  await db.schema.createIndex('blocks_blocked').on('blocks').column('blocked_id').execute();
  await db.schema
    .createTable('messaging_settings')
    .addColumn('user_id', 'integer', (c) => user(c).primaryKey())
    .addColumn('allow_from', 'varchar(16)', (c) => c.notNull())
    .execute();
  // What the reporter saw when reporting a message: moderators review this copy.
  await db.schema
    .createTable('message_reports')
    .addColumn('report_id', 'integer', (c) => c.primaryKey())
    .addColumn('message_id', 'integer', (c) => c.notNull())
    .addColumn('conversation_id', 'integer', (c) => c.notNull())
    .addColumn('sender_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reporter_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sent_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_reports_message').on('message_reports').column('message_id').execute();

  // --- mail queue (platform/mail.ts): written in transactions, sent after commit, retried
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(300)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('available_at', ts, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', ts)
    .addColumn('dead_at', ts)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('mail_outbox_due')
    .on('mail_outbox')
    .columns(['sent_at', 'dead_at', 'available_at'])
    .execute();

  // --- password resets (accounts): only the token's hash is stored
  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .execute();
  await db.schema
    .createIndex('password_resets_user')
    .on('password_resets')
    .columns(['user_id', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'password_resets',
    'mail_outbox',
    'message_reports',
    'messaging_settings',
    'blocks',
    'messages',
    'conversation_members',
    'conversations',
    'unsubscribe_tokens',
    'community_watches',
    'notification_settings',
    'notification_prefs',
    'notifications',
    'user_presence',
    'live_events',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
