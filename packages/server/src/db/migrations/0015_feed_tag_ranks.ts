import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Home feed speed (issue 4: p99 < 25 ms at 1M threads). The feed walks each source's threads
 * in stored scaled-rank order and stops at a threshold (feed README): member communities by
 * `threads_scaled (community_id, scaled_rank, id)`, followed tags by this copy of the rank on
 * `thread_tags`, indexed `(tag_id, scaled_rank)`. Without it a followed tag's threads of the
 * last 7 days were all read and looked up to find the best (1,700 rows for the bench member).
 *
 * Triggers keep the copy equal to `threads.scaled_rank` whatever writes it (thread creation,
 * reactions, the rank job, deletion): a tag row takes its thread's rank when inserted, and a
 * thread's new rank is copied to its tag rows.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('thread_tags')
    .addColumn('scaled_rank', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update thread_tags set scaled_rank = (select t.scaled_rank from threads t where t.id = thread_tags.thread_id)
    where thread_id in (select id from threads where scaled_rank <> 0)`.execute(db);
  await db.schema
    .createIndex('thread_tags_tag_rank')
    .on('thread_tags')
    .columns(['tag_id', 'scaled_rank', 'thread_id'])
    .execute();
  if (dialectOf(db) === 'postgres') {
    await sql`create function thread_tags_rank_ins() returns trigger language plpgsql as $$
      begin
        new.scaled_rank := coalesce((select scaled_rank from threads where id = new.thread_id), 0);
        return new;
      end $$`.execute(db);
    await sql`create trigger thread_tags_rank before insert on thread_tags
      for each row execute function thread_tags_rank_ins()`.execute(db);
    await sql`create function threads_tag_rank_upd() returns trigger language plpgsql as $$
      begin
        update thread_tags set scaled_rank = new.scaled_rank where thread_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger threads_tag_rank after update of scaled_rank on threads
      for each row when (old.scaled_rank is distinct from new.scaled_rank)
      execute function threads_tag_rank_upd()`.execute(db);
    return;
  }
  await sql`create trigger thread_tags_rank after insert on thread_tags begin
      update thread_tags set scaled_rank = coalesce((select scaled_rank from threads where id = new.thread_id), 0)
      where thread_id = new.thread_id and tag_id = new.tag_id;
    end`.execute(db);
  await sql`create trigger threads_tag_rank after update of scaled_rank on threads
      when old.scaled_rank is not new.scaled_rank begin
      update thread_tags set scaled_rank = new.scaled_rank where thread_id = new.id;
    end`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger threads_tag_rank on threads`.execute(db);
    await sql`drop trigger thread_tags_rank on thread_tags`.execute(db);
    await sql`drop function threads_tag_rank_upd()`.execute(db);
    await sql`drop function thread_tags_rank_ins()`.execute(db);
  } else {
    await sql`drop trigger threads_tag_rank`.execute(db);
    await sql`drop trigger thread_tags_rank`.execute(db);
  }
  await db.schema.dropIndex('thread_tags_tag_rank').execute();
  await db.schema.alterTable('thread_tags').dropColumn('scaled_rank').execute();
}
