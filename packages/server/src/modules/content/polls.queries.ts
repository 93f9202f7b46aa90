import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';

type Q = Db | Transaction<DB>;

export const findPollOfThread = (db: Q, threadId: number) =>
  db.selectFrom('polls').selectAll().where('thread_id', '=', threadId).executeTakeFirst();
export type PollRow = NonNullable<Awaited<ReturnType<typeof findPollOfThread>>>;

export const listOptions = (db: Q, pollId: number) =>
  db.selectFrom('poll_options').selectAll().where('poll_id', '=', pollId).orderBy('position').execute();

export const findBallot = (db: Q, pollId: number, userId: number) =>
  db
    .selectFrom('poll_ballots')
    .select('option_ids')
    .where('poll_id', '=', pollId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const deletePoll = (db: Q, pollId: number) =>
  db.deleteFrom('polls').where('id', '=', pollId).execute();

export async function insertPoll(
  db: Q,
  p: {
    threadId: number;
    communityId: number;
    authorId: number;
    question: string;
    maxChoices: number;
    closesAt: number | null;
    options: string[];
    now: number;
  },
) {
  const row = await db
    .insertInto('polls')
    .values({
      thread_id: p.threadId,
      community_id: p.communityId,
      author_id: p.authorId,
      question: p.question,
      max_choices: p.maxChoices,
      closes_at: p.closesAt,
      created_at: p.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('poll_options')
    .values(p.options.map((label, i) => ({ poll_id: row.id, position: i, label, vote_count: 0 })))
    .execute();
  return row.id;
}

/** Records a ballot; false when the member already has one (the primary key decides, atomically). */
export async function insertBallot(
  db: Q,
  b: { pollId: number; userId: number; communityId: number; optionIds: number[]; now: number },
) {
  const r = await db
    .insertInto('poll_ballots')
    .values({
      poll_id: b.pollId,
      user_id: b.userId,
      community_id: b.communityId,
      option_ids: b.optionIds.join(','),
      created_at: b.now,
    })
    .onConflict((oc) => oc.columns(['poll_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function countVote(db: Q, pollId: number, optionIds: number[]) {
  await db
    .updateTable('poll_options')
    .set((eb) => ({ vote_count: eb('vote_count', '+', 1) }))
    .where('poll_id', '=', pollId)
    .where('id', 'in', optionIds)
    .execute();
  await db
    .updateTable('polls')
    .set((eb) => ({ voter_count: eb('voter_count', '+', 1) }))
    .where('id', '=', pollId)
    .execute();
}
