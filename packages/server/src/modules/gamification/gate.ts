import type { Db } from '../../db/index.ts';
import { fail } from '../../platform/errors.ts';
import type { Events } from '../../platform/events.ts';
import { registerWriteGate, type WriteAttempt } from '../../platform/write-gate.ts';
import { earnedPoints, type Q } from './gamification.queries.ts';
import { gatedTags, levelFor } from './levels.ts';
import { loadSettings } from './settings.ts';
import { threadTagNames } from './sources.queries.ts';

/**
 * The "sub-forum" level perk: a level's `perks.tags` are open for writing only from that level
 * up. Starting a thread with such a tag, adding the tag to a thread, or commenting in a thread
 * that carries it needs the level; moderators are exempt. A thread's tags are only known once it
 * is written, so threads and edits are checked in `record` (inside the writer's transaction,
 * which a refusal rolls back) and comments in `screen`.
 */
async function check(db: Q, attempt: WriteAttempt, tags: string[]) {
  if (attempt.isModerator || !tags.length) return;
  const settings = await loadSettings(db, attempt.communityId);
  const gates = gatedTags(settings.levels);
  if (!gates.size) return;
  const needed = Math.max(0, ...tags.map((t) => gates.get(t) ?? 0));
  if (!needed) return;
  const level = levelFor(await earnedPoints(db, attempt.communityId, attempt.userId), settings.levels);
  if (level.level >= needed) return;
  const tag = tags.find((t) => (gates.get(t) ?? 0) === needed)!;
  const name = settings.levels[needed - 1]!.name;
  fail(
    'LEVEL_TOO_LOW',
    `Writing under #${tag} opens at level ${needed} (${name}); you are level ${level.level}`,
  );
}

export function registerLevelGate(events: Events): void {
  registerWriteGate(events, 'gamification.level_tags', {
    async screen(db: Db, attempt: WriteAttempt) {
      if (attempt.kind === 'comment' && attempt.threadId) {
        await check(db, attempt, await threadTagNames(db, attempt.threadId));
      }
      return undefined;
    },
    async record(trx, _deps, attempt, _verdict, target) {
      if (target.type === 'thread' && (attempt.kind === 'thread' || attempt.kind === 'edit_thread')) {
        await check(trx, attempt, await threadTagNames(trx, target.id));
      }
    },
  });
}
