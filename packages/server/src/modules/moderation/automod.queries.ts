import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, WatchedWordsTable } from '../../db/schema.ts';
import type { WatchedWord } from './automod.ts';

/** Watched words and content fingerprints. */
type Q = Db | Transaction<DB>;

export const listWords = (db: Q, communityId: number) =>
  db.selectFrom('watched_words').selectAll().where('community_id', '=', communityId).orderBy('id').execute();

type WordRow = Selectable<WatchedWordsTable>;
export const toWord = (r: WordRow): WatchedWord => ({
  id: r.id,
  pattern: r.pattern,
  regex: r.regex === 1,
  wholeWord: r.whole_word === 1,
  action: r.action,
  replacement: r.replacement,
});

export const insertWord = (db: Q, w: Omit<WordRow, 'id'>) =>
  db.insertInto('watched_words').values(w).returningAll().executeTakeFirstOrThrow();

export const deleteWord = async (db: Q, communityId: number, id: number) =>
  Number(
    (
      await db
        .deleteFrom('watched_words')
        .where('community_id', '=', communityId)
        .where('id', '=', id)
        .executeTakeFirst()
    ).numDeletedRows,
  );

export const insertFingerprint = (
  db: Q,
  f: {
    communityId: number;
    userId: number;
    type: 'thread' | 'comment';
    id: number;
    hash: string;
    now: number;
  },
) =>
  db
    .insertInto('content_fingerprints')
    .values({
      community_id: f.communityId,
      user_id: f.userId,
      target_type: f.type,
      target_id: f.id,
      hash: f.hash,
      created_at: f.now,
    })
    .execute();

/** The member's recent posts (by fingerprint): flood, hourly limit and duplicate checks read these. */
export const recentPosts = (db: Q, userId: number, since: number) =>
  db
    .selectFrom('content_fingerprints')
    .select(['community_id', 'hash', 'created_at'])
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
