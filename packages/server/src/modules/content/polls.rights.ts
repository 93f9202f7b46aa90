import { sql } from 'kysely';
import { iso } from '../../platform/clock.ts';
import {
  declareUserColumns,
  registerErasureStep,
  registerExportSection,
} from '../../platform/data-rights.ts';

/** What polls hold about a member, for erasure and export (platform/data-rights.ts). */
declareUserColumns([
  {
    table: 'poll_ballots',
    column: 'user_id',
    action: 'step',
    note: 'their votes are taken out of the counts',
  },
  { table: 'polls', column: 'author_id', action: 'tombstone', note: 'the poll stays with its thread' },
]);

const optionIdsOf = (s: string) => s.split(',').filter(Boolean).map(Number);

/** Their ballots go, and each poll's option and voter counts lose their vote. */
registerErasureStep({
  name: 'content.poll_ballots',
  order: 36,
  async run(trx, ctx) {
    const ballots = await trx
      .selectFrom('poll_ballots')
      .select(['poll_id', 'option_ids'])
      .where('user_id', '=', ctx.userId)
      .execute();
    for (const b of ballots) {
      const ids = optionIdsOf(b.option_ids);
      if (ids.length)
        await trx
          .updateTable('poll_options')
          .set({ vote_count: sql`case when vote_count > 0 then vote_count - 1 else 0 end` })
          .where('poll_id', '=', b.poll_id)
          .where('id', 'in', ids)
          .execute();
      await trx
        .updateTable('polls')
        .set({ voter_count: sql`case when voter_count > 0 then voter_count - 1 else 0 end` })
        .where('id', '=', b.poll_id)
        .execute();
    }
    await trx.deleteFrom('poll_ballots').where('user_id', '=', ctx.userId).execute();
  },
});

registerExportSection('polls', async (db, userId) => {
  const ballots = await db
    .selectFrom('poll_ballots')
    .innerJoin('polls', 'polls.id', 'poll_ballots.poll_id')
    .select([
      'polls.id',
      'polls.thread_id',
      'polls.question',
      'poll_ballots.option_ids',
      'poll_ballots.created_at',
    ])
    .where('poll_ballots.user_id', '=', userId)
    .orderBy('poll_ballots.created_at')
    .execute();
  const chosen = ballots.flatMap((b) => optionIdsOf(b.option_ids));
  const labels = new Map(
    chosen.length
      ? (await db.selectFrom('poll_options').select(['id', 'label']).where('id', 'in', chosen).execute()).map(
          (o) => [o.id, o.label],
        )
      : [],
  );
  const asked = await db
    .selectFrom('polls')
    .select(['id', 'thread_id', 'question', 'created_at'])
    .where('author_id', '=', userId)
    .orderBy('id')
    .execute();
  return {
    votes: ballots.map((b) => ({
      pollId: b.id,
      threadId: b.thread_id,
      question: b.question,
      chose: optionIdsOf(b.option_ids).map((id) => labels.get(id) ?? null),
      votedAt: iso(b.created_at),
    })),
    asked: asked.map((p) => ({
      pollId: p.id,
      threadId: p.thread_id,
      question: p.question,
      createdAt: iso(p.created_at),
    })),
  };
});
