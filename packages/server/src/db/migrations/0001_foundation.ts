import { type Kysely, sql } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/** Accounts, communities, content, outbox: the tables every module stands on. */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  const ts = 'bigint' as const;

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', id)
    .addColumn('username', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('display_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('avatar_url', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_interests')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_interests_pk', ['user_id', 'tag_id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'integer', id)
    .addColumn('account_key', 'varchar(254)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_attempts_account')
    .on('login_attempts')
    .columns(['account_key', 'created_at'])
    .execute();
  await db.schema
    .createIndex('login_attempts_ip')
    .on('login_attempts')
    .columns(['ip', 'created_at'])
    .execute();

  await db.schema
    .createTable('communities')
    .addColumn('id', 'integer', id)
    .addColumn('slug', 'varchar(50)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('visibility', 'varchar(16)', (c) => c.notNull())
    .addColumn('join_policy', 'varchar(16)', (c) => c.notNull())
    .addColumn('guidelines', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('thread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('guidelines_accepted_at', ts)
    .addColumn('invited_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('joined_at', ts)
    .addPrimaryKeyConstraint('memberships_pk', ['community_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').columns(['user_id', 'status']).execute();
  await db.schema
    .createIndex('memberships_community_status')
    .on('memberships')
    .columns(['community_id', 'status', 'user_id'])
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('excerpt', 'varchar(300)', (c) => c.notNull().defaultTo(''))
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('up_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('down_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reaction_counts', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hot_rank', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('edited_at', ts)
    .addColumn('last_comment_at', ts)
    .addColumn('deleted_at', ts)
    .addColumn('deleted_by', 'integer', (c) => c.references('users.id'))
    .execute();
  // Keyset indexes for the three stored sorts (hot, new, top).
  await db.schema
    .createIndex('threads_hot')
    .on('threads')
    .columns(['community_id', 'hot_rank', 'id'])
    .execute();
  await db.schema
    .createIndex('threads_new')
    .on('threads')
    .columns(['community_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('threads_top').on('threads').columns(['community_id', 'score', 'id']).execute();
  await db.schema.createIndex('threads_recent').on('threads').column('created_at').execute();
  await db.schema.createIndex('threads_author').on('threads').column('author_id').execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'integer', id)
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('path', 'varchar(400)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('up_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('down_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reaction_counts', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('edited_at', ts)
    .addColumn('deleted_at', ts)
    .addColumn('deleted_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('comments_thread_path').on('comments').columns(['thread_id', 'path']).execute();
  await db.schema.createIndex('comments_author').on('comments').column('author_id').execute();

  await db.schema
    .createTable('revisions')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'varchar(300)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('edited_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('revisions_target')
    .on('revisions')
    .columns(['target_type', 'target_id', 'id'])
    .execute();

  await db.schema
    .createTable('reactions')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('reactions_one_per_user', ['target_type', 'target_id', 'user_id'])
    .execute();
  await db.schema.createIndex('reactions_user').on('reactions').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('mentions')
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('mentions_pk', ['target_type', 'target_id', 'user_id'])
    .execute();
  await db.schema.createIndex('mentions_user').on('mentions').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('thread_tags')
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('thread_tags_pk', ['thread_id', 'tag_id'])
    .execute();
  await db.schema
    .createIndex('thread_tags_tag')
    .on('thread_tags')
    .columns(['tag_id', 'community_id'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', id)
    .addColumn('type', 'varchar(100)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('available_at', ts, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dispatched_at', ts)
    .addColumn('dead_at', ts)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .columns(['available_at', 'id'])
    .where(sql.ref('dispatched_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('outbox_handled')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
    .addColumn('handler', 'varchar(100)', (c) => c.notNull())
    .addColumn('handled_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_handled_pk', ['event_id', 'handler'])
    .execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('holder', 'varchar(100)', (c) => c.notNull())
    .addColumn('locked_until', ts, (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted; restore a backup instead.');
}
