import { HOUR } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/events.ts';
import { eventAccessMany } from './events.access.ts';
import * as q from './events.queries.ts';
import type { EventDeps } from './events.service.ts';

/**
 * Event reminders, 24 hours and 1 hour before the start, for members going or maybe going.
 * The job finds RSVPs whose reminder is due and emits one `events.reminder_due` per member,
 * event and kind. The reminder's row in event_reminders is inserted in the same transaction
 * as the outbox event, under a primary key, so each reminder goes out exactly once, also
 * across restarts, overlapping runs and several server processes (notifications turn the
 * event into in-app and email messages after the merge).
 * A reminder whose window has passed while the server was down is not sent late: only
 * events still ahead are considered, and the 24 h reminder is skipped for events that are
 * already less than an hour away (the 1 h one covers them).
 */
const WINDOWS = [
  { kind: '24h' as const, from: HOUR, to: 24 * HOUR },
  { kind: '1h' as const, from: 0, to: HOUR },
];
const BATCH = 500;

export async function sendDueReminders(deps: EventDeps): Promise<number> {
  let sent = 0;
  const now = deps.clock.now();
  for (const w of WINDOWS) {
    for (let round = 0; round < 100; round++) {
      const due = await q.dueReminders(deps.db, w.kind, now + w.from, now + w.to, BATCH);
      if (!due.length) break;
      const events = new Map(
        (await Promise.all([...new Set(due.map((d) => d.event_id))].map((id) => q.findEvent(deps.db, id))))
          .filter((e): e is q.EventRow => !!e)
          .map((e) => [e.id, e]),
      );
      // Access is decided before the transaction (SQLite: one connection, held by the transaction).
      const readable = new Set<string>();
      for (const d of due) {
        const event = events.get(d.event_id);
        if (!event) continue;
        const access = await eventAccessMany(deps.db, [event], { userId: d.user_id, isAdmin: false });
        if (access.get(event.id)?.canRead) readable.add(`${d.event_id}:${d.user_id}`);
      }
      await inTransaction(deps, async (trx) => {
        for (const d of due) {
          if (!(await q.claimReminder(trx, d.event_id, d.user_id, w.kind, now))) continue;
          // Someone who left a private community is not reminded of its events; the row is
          // still recorded so the job does not look at it again.
          if (!readable.has(`${d.event_id}:${d.user_id}`)) continue;
          await deps.events.emit(trx, 'events.reminder_due', {
            eventId: d.event_id,
            communityId: d.community_id,
            userId: d.user_id,
            kind: w.kind,
          });
          sent++;
        }
      });
      if (due.length < BATCH) break;
    }
  }
  return sent;
}
