import { dialectOf, ilike } from '../../db/dialect.ts';
import { declareUserColumns, namesOf, registerErasureStep } from '../../platform/data-rights.ts';
import { threadChannel } from './realtime.access.ts';

/** What realtime holds about a member, for erasure (platform/data-rights.ts). Nothing to export: presence is a timestamp. */
declareUserColumns([{ table: 'user_presence', column: 'user_id', action: 'delete' }]);

/**
 * The resume buffer (live_events) is a copy of recent events kept a few minutes for clients that
 * reconnect: every row naming the member goes (their posts' events carry their username), and,
 * when they chose to delete their content, every row of their threads' channels (an edit's body
 * is sent without the author). Runs before content is re-attributed. A client resuming past a
 * gap refetches, so dropping rows loses nothing.
 */
registerErasureStep({
  name: 'realtime.live_events',
  order: 5,
  async run(trx, ctx) {
    const like = ilike(dialectOf(trx));
    const needles = namesOf(ctx);
    if (ctx.content === 'delete') {
      const threads = await trx
        .selectFrom('threads')
        .select('id')
        .where('author_id', '=', ctx.userId)
        .execute();
      const channels = threads.map((t) => threadChannel(t.id));
      for (let i = 0; i < channels.length; i += 500)
        await trx
          .deleteFrom('live_events')
          .where('channel', 'in', channels.slice(i, i + 500))
          .execute();
    }
    if (!needles.length) return;
    await trx
      .deleteFrom('live_events')
      .where((eb) => eb.or(needles.map((n) => eb('payload', like, `%${n}%`))))
      .execute();
  },
});
