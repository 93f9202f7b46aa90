import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB, TargetType } from '../../db/schema.ts';

/** Context notes and their ratings. */
type Q = Db | Transaction<DB>;

export const insertNote = (
  db: Q,
  n: {
    communityId: number;
    type: TargetType;
    targetId: number;
    threadId: number;
    authorId: number;
    body: string;
    now: number;
  },
) =>
  db
    .insertInto('context_notes')
    .values({
      community_id: n.communityId,
      target_type: n.type,
      target_id: n.targetId,
      thread_id: n.threadId,
      author_id: n.authorId,
      body: n.body,
      status: 'needs_more_ratings',
      rating_count: 0,
      created_at: n.now,
    })
    .onConflict((oc) => oc.columns(['target_type', 'target_id', 'author_id']).doNothing())
    .returning('id')
    .executeTakeFirst();

export const findNote = (db: Q, id: number) =>
  db.selectFrom('context_notes').selectAll().where('id', '=', id).executeTakeFirst();
export type NoteRow = NonNullable<Awaited<ReturnType<typeof findNote>>>;

export const notesOfThread = (db: Q, threadId: number) =>
  db
    .selectFrom('context_notes')
    .selectAll()
    .where('thread_id', '=', threadId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();

export const softDeleteNote = (db: Q, id: number, now: number) =>
  db.updateTable('context_notes').set({ deleted_at: now }).where('id', '=', id).execute();

export const upsertRating = (
  db: Q,
  r: { noteId: number; userId: number; communityId: number; value: number; now: number },
) =>
  db
    .insertInto('note_ratings')
    .values({
      note_id: r.noteId,
      user_id: r.userId,
      community_id: r.communityId,
      value: r.value,
      created_at: r.now,
    })
    .onConflict((oc) => oc.columns(['note_id', 'user_id']).doUpdateSet({ value: r.value, created_at: r.now }))
    .execute();

export async function ratingsBy(db: Q, userId: number, noteIds: number[]) {
  if (!noteIds.length) return new Map<number, number>();
  const rows = await db
    .selectFrom('note_ratings')
    .select(['note_id', 'value'])
    .where('user_id', '=', userId)
    .where('note_id', 'in', noteIds)
    .execute();
  return new Map(rows.map((r) => [r.note_id, r.value]));
}

/** Every rating in a community: the model is fitted on all of them at once. */
export const ratingsOfCommunity = (db: Q, communityId: number) =>
  db
    .selectFrom('note_ratings')
    .select(['note_id', 'user_id', 'value'])
    .where('community_id', '=', communityId)
    .execute();

export const notesOfCommunity = (db: Q, communityId: number) =>
  db.selectFrom('context_notes').selectAll().where('community_id', '=', communityId).execute();

export const saveScore = (
  db: Q,
  id: number,
  s: {
    intercept: number | null;
    factor: number | null;
    status: NoteRow['status'];
    ratings: number;
    now: number;
  },
) =>
  db
    .updateTable('context_notes')
    .set({
      intercept: s.intercept,
      factor: s.factor,
      status: s.status,
      rating_count: s.ratings,
      scored_at: s.now,
    })
    .where('id', '=', id)
    .execute();

/** Communities with ratings newer than their last scoring. */
export async function communitiesToScore(db: Q) {
  const rated = await db
    .selectFrom('note_ratings')
    .select((eb) => ['community_id', eb.fn.max('created_at').as('last')])
    .groupBy('community_id')
    .execute();
  const scored = await db
    .selectFrom('context_notes')
    .select((eb) => ['community_id', eb.fn.min('scored_at').as('oldest'), eb.fn.max('scored_at').as('last')])
    .groupBy('community_id')
    .execute();
  const byId = new Map(scored.map((s) => [s.community_id, s]));
  return rated
    .filter((r) => {
      const s = byId.get(r.community_id);
      return !s || s.oldest == null || Number(r.last) > Number(s.last);
    })
    .map((r) => r.community_id);
}

/**
 * Notes of a community still waiting for ratings that `userId` has not rated and did not
 * write, newest first, on content that is still published (not deleted, not held).
 */
export const notesToRate = (
  db: Q,
  a: { communityId: number; userId: number; beforeId: number | null; limit: number },
) => {
  let q = db
    .selectFrom('context_notes as n')
    .innerJoin('threads as t', 't.id', 'n.thread_id')
    .leftJoin('comments as c', (j) => j.onRef('c.id', '=', 'n.target_id').on('n.target_type', '=', 'comment'))
    .selectAll('n')
    .select('t.title as thread_title')
    .where('n.community_id', '=', a.communityId)
    .where('n.status', '=', 'needs_more_ratings')
    .where('n.deleted_at', 'is', null)
    .where('n.author_id', '!=', a.userId)
    .where('t.deleted_at', 'is', null)
    .where('t.status', '=', 'visible')
    .where((eb) =>
      eb.or([
        eb('n.target_type', '=', 'thread'),
        eb.and([eb('c.deleted_at', 'is', null), eb('c.status', '=', 'visible')]),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('note_ratings as r')
            .select('r.note_id')
            .whereRef('r.note_id', '=', 'n.id')
            .where('r.user_id', '=', a.userId),
        ),
      ),
    );
  if (a.beforeId != null) q = q.where('n.id', '<', a.beforeId);
  return q
    .orderBy('n.id', 'desc')
    .limit(a.limit + 1)
    .execute();
};
