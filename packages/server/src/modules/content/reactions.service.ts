import type { Transaction } from 'kysely';
import type { DB, TargetType } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { fail } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { assertMember } from '../../platform/permissions.ts';
import { screenWrite } from '../../platform/write-gate.ts';
import { loadReadableComment, loadReadableThread } from './content.present.ts';
import * as q from './content.queries.ts';
import { refreshThreadRanks } from './content.ranking.ts';
import type { ReactionKind } from './content.schema.ts';
import type { ContentDeps } from './threads.service.ts';

/**
 * One reaction per member per thread or comment (reacting again changes its
 * kind). Score = positive reactions - downvotes; counts are stored on the
 * target so lists never aggregate at read time.
 */
async function loadTarget(deps: ContentDeps, type: TargetType, id: number, viewer: Viewer) {
  if (type === 'thread') {
    const { thread, access } = await loadReadableThread(deps.db, id, viewer);
    return {
      access,
      communityId: thread.community_id,
      authorId: thread.author_id,
      deleted: !!thread.deleted_at,
      createdAt: thread.created_at,
    };
  }
  const { comment, access } = await loadReadableComment(deps.db, id, viewer);
  return {
    access,
    communityId: comment.community_id,
    authorId: comment.author_id,
    deleted: !!comment.deleted_at,
    createdAt: comment.created_at,
  };
}

async function recount(trx: Transaction<DB>, type: TargetType, id: number, now: number) {
  const rows = await q.countReactions(trx, type, id);
  const counts: Record<string, number> = {};
  let up = 0;
  let down = 0;
  for (const r of rows) {
    const n = Number(r.n);
    counts[r.kind] = n;
    if (r.kind === 'downvote') down += n;
    else up += n;
  }
  const set = { score: up - down, up_count: up, down_count: down, reaction_counts: JSON.stringify(counts) };
  if (type === 'thread') {
    await trx.updateTable('threads').set(set).where('id', '=', id).execute();
    // Every stored rank follows the new score in the same transaction (the home feed's walk
    // relies on stored scaled ranks being current: feed README).
    await refreshThreadRanks(trx, id, now);
  } else {
    await trx.updateTable('comments').set(set).where('id', '=', id).execute();
  }
  return { score: up - down, reactionCounts: counts };
}

/** Takes the target's row lock first (PostgreSQL), so concurrent reactions recount in turn. */
async function lockTarget(trx: Transaction<DB>, type: TargetType, id: number) {
  if (type === 'thread')
    await trx
      .updateTable('threads')
      .set((eb) => ({ score: eb.ref('score') }))
      .where('id', '=', id)
      .execute();
  else
    await trx
      .updateTable('comments')
      .set((eb) => ({ score: eb.ref('score') }))
      .where('id', '=', id)
      .execute();
}

export async function react(
  deps: ContentDeps,
  type: TargetType,
  id: number,
  viewer: Viewer,
  kind: ReactionKind,
) {
  const t = await loadTarget(deps, type, id, viewer);
  assertMember(t.access);
  if (t.deleted) fail('CONTENT_DELETED', `This ${type} was deleted`);
  // Muted, banned and suspended members cannot react (issue 6, platform/write-gate.ts).
  await screenWrite(deps, {
    kind: 'reaction',
    communityId: t.communityId,
    userId: viewer.userId,
    isModerator: t.access.isModerator,
  });
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    await lockTarget(trx, type, id);
    const existing = await q.findReaction(trx, type, id, viewer.userId);
    if (existing?.kind === kind) {
      const counts = await recount(trx, type, id, now);
      return { ...counts, myReaction: kind };
    }
    if (existing) {
      await trx
        .updateTable('reactions')
        .set({ kind, created_at: now })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('reactions')
        .values({
          community_id: t.communityId,
          target_type: type,
          target_id: id,
          user_id: viewer.userId,
          kind,
          created_at: now,
        })
        .execute();
    }
    const counts = await recount(trx, type, id, now);
    await deps.events.emit(trx, 'content.reaction_added', {
      targetType: type,
      targetId: id,
      communityId: t.communityId,
      userId: viewer.userId,
      authorId: t.authorId,
      kind,
      previousKind: existing?.kind ?? null,
    });
    return { ...counts, myReaction: kind };
  });
}

export async function unreact(deps: ContentDeps, type: TargetType, id: number, viewer: Viewer) {
  const t = await loadTarget(deps, type, id, viewer);
  assertMember(t.access);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    await lockTarget(trx, type, id);
    const existing = await q.findReaction(trx, type, id, viewer.userId);
    if (existing) {
      await trx.deleteFrom('reactions').where('id', '=', existing.id).execute();
      await deps.events.emit(trx, 'content.reaction_removed', {
        targetType: type,
        targetId: id,
        communityId: t.communityId,
        userId: viewer.userId,
        authorId: t.authorId,
        kind: existing.kind,
      });
    }
    const counts = await recount(trx, type, id, now);
    return { ...counts, myReaction: null };
  });
}
