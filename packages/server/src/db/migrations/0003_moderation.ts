import { type Kysely, sql } from 'kysely';
import { dialectOf, idColumn } from '../dialect.ts';

/**
 * Issue 6: moderation. Guideline versions, reports and the review queue, moderator actions
 * (also the sanctions and the public log), appeals, automatic moderation, trust levels with
 * read tracking, and context notes. Threads and comments gain a `status` ('visible' or
 * 'pending': held for approval).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const id = idColumn(dialect);
  const ts = 'bigint' as const;
  const community = (c: any) => c.references('communities.id').onDelete('cascade');
  const user = (c: any) => c.references('users.id').onDelete('cascade');

  for (const table of ['threads', 'comments']) {
    await db.schema
      .alterTable(table)
      .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('visible'))
      .execute();
  }

  await db.schema
    .createTable('guideline_versions')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('guideline_versions_number', ['community_id', 'version'])
    .execute();
  await db.schema
    .createTable('guideline_acceptances')
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('guideline_acceptances_pk', ['community_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('moderation_settings')
    .addColumn('community_id', 'integer', (c) => community(c).primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  // One open review item per reported or held target and queue; reports hang off it.
  // scope_id: the community whose queue holds it, or 0 for the site queue (site admins).
  await db.schema
    .createTable('review_items')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c))
    .addColumn('scope_id', 'integer', (c) => c.notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('target_user_id', 'integer', (c) => user(c))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('resolved_at', ts)
    .addColumn('resolved_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolution', 'varchar(16)')
    .execute();
  await sql`create unique index review_items_open_target on review_items (target_type, target_id, scope_id)
    where status = 'open'`.execute(db);
  await db.schema
    .createIndex('review_items_queue')
    .on('review_items')
    .columns(['scope_id', 'status', 'score', 'id'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'integer', id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('review_items.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => community(c))
    .addColumn('reporter_id', 'integer', (c) => user(c))
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'varchar(32)', (c) => c.notNull())
    .addColumn('rule_number', 'integer')
    .addColumn('guideline_version', 'integer')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('reports_once', ['item_id', 'reporter_id'])
    .execute();
  await db.schema.createIndex('reports_reporter').on('reports').columns(['reporter_id', 'status']).execute();

  // Every moderator action (and automatic one); sanctions are the rows with kind mute/ban/suspend.
  await db.schema
    .createTable('mod_actions')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c))
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('moderator_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('target_type', 'varchar(16)')
    .addColumn('target_id', 'integer')
    .addColumn('target_user_id', 'integer', (c) => user(c))
    .addColumn('item_id', 'integer', (c) => c.references('review_items.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('rule_number', 'integer')
    .addColumn('guideline_version', 'integer')
    .addColumn('public', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts)
    .addColumn('revoked_at', ts)
    .addColumn('revoked_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('mod_actions_user')
    .on('mod_actions')
    .columns(['target_user_id', 'kind', 'created_at'])
    .execute();
  await db.schema
    .createIndex('mod_actions_log')
    .on('mod_actions')
    .columns(['community_id', 'public', 'id'])
    .execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', 'integer', id)
    .addColumn('action_id', 'integer', (c) =>
      c.notNull().unique().references('mod_actions.id').onDelete('cascade'),
    )
    .addColumn('community_id', 'integer', (c) => community(c))
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decision_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('decided_at', ts)
    .execute();
  await db.schema
    .createIndex('appeals_queue')
    .on('appeals')
    .columns(['community_id', 'status', 'id'])
    .execute();

  await db.schema
    .createTable('watched_words')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('pattern', 'varchar(200)', (c) => c.notNull())
    .addColumn('regex', 'integer', (c) => c.notNull())
    .addColumn('whole_word', 'integer', (c) => c.notNull())
    .addColumn('action', 'varchar(24)', (c) => c.notNull())
    .addColumn('replacement', 'varchar(64)')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watched_words_community').on('watched_words').column('community_id').execute();

  // What each member wrote, in hashes and counts: flood, duplicate and posts-per-hour checks.
  await db.schema
    .createTable('content_fingerprints')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('content_fingerprints_user')
    .on('content_fingerprints')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('trust_levels')
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('manual_level', 'integer')
    .addColumn('promoted_at', ts, (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('computed_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('trust_levels_pk', ['community_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('thread_reads')
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('posts_read', 'integer', (c) => c.notNull())
    .addColumn('ms', ts, (c) => c.notNull())
    .addColumn('first_at', ts, (c) => c.notNull())
    .addColumn('last_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_reads_pk', ['user_id', 'thread_id'])
    .execute();
  await db.schema
    .createIndex('thread_reads_member')
    .on('thread_reads')
    .columns(['community_id', 'user_id', 'last_at'])
    .execute();
  await db.schema
    .createTable('visit_days')
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('visit_days_pk', ['community_id', 'user_id', 'day'])
    .execute();

  await db.schema
    .createTable('context_notes')
    .addColumn('id', 'integer', id)
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => user(c).notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('intercept', 'double precision')
    .addColumn('factor', 'double precision')
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('scored_at', ts)
    .addColumn('deleted_at', ts)
    .addUniqueConstraint('context_notes_once', ['target_type', 'target_id', 'author_id'])
    .execute();
  await db.schema
    .createIndex('context_notes_thread')
    .on('context_notes')
    .columns(['thread_id', 'id'])
    .execute();
  await db.schema
    .createTable('note_ratings')
    .addColumn('note_id', 'integer', (c) => c.notNull().references('context_notes.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => user(c).notNull())
    .addColumn('community_id', 'integer', (c) => community(c).notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('note_ratings_pk', ['note_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('note_ratings_community')
    .on('note_ratings')
    .columns(['community_id', 'created_at'])
    .execute();

  await hidePendingFromSearch(db, dialect);
}

/**
 * Held content stays out of the search index (migration 0002 indexes every thread and
 * comment by trigger): a BEFORE INSERT trigger on search_docs skips the document of a pending
 * thread or comment, or of a comment on a pending thread (SQLite: RAISE(IGNORE) drops just that
 * insert, and the FTS triggers never see it). Approval re-sets the title or body (and a thread's
 * comments' bodies), so 0002's update triggers index the rows then.
 */
async function hidePendingFromSearch(db: Kysely<any>, dialect: string) {
  const pending = `(new.kind = 'thread' and exists (select 1 from threads t
      where t.id = new.ref_id and t.status = 'pending'))
    or (new.kind = 'comment' and exists (select 1 from comments c join threads t on t.id = c.thread_id
      where c.id = new.ref_id and (c.status = 'pending' or t.status = 'pending')))`;
  if (dialect === 'postgres') {
    await sql
      .raw(`create function search_docs_hide_pending() returns trigger language plpgsql as $$
      begin
        if ${pending} then return null; end if;
        return new;
      end $$`)
      .execute(db);
    await sql`create trigger search_docs_hide_pending before insert on search_docs
      for each row execute function search_docs_hide_pending()`.execute(db);
    return;
  }
  await sql
    .raw(`create trigger search_docs_hide_pending before insert on search_docs
      when ${pending}
      begin select raise(ignore); end`)
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migration 0003 cannot be reverted; restore a backup instead.');
}
