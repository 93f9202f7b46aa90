import type { Viewer } from '../../platform/auth.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { loadCommunity, loadModeratedCommunity, loadReadableTarget, type ModerationDeps } from './context.ts';
import * as mq from './moderation.queries.ts';
import { fitBridging, type NoteStatus, noteStatus } from './notes.model.ts';
import * as nq from './notes.queries.ts';
import { loadSettings } from './settings.ts';
import { levelOf } from './trust.queries.ts';

/**
 * Context notes: trusted members (trust level 2 by default, settings.unlocks.writeContextNotes)
 * add context to a thread or comment; members who may rate (level 1) say whether it helps.
 * A note is shown to readers only once the bridging model rates it Helpful, which needs
 * ratings from people who usually disagree (notes.model.ts). Raters and the author also see
 * notes that still need ratings, so they can be rated at all.
 */
export const HELPFULNESS = { yes: 1, somewhat: 0.5, no: 0 } as const;

export async function writeNote(
  deps: ModerationDeps,
  viewer: Viewer,
  body: { targetType: 'thread' | 'comment'; targetId: number; body: string },
) {
  const { target, access } = await loadReadableTarget(deps.db, body.targetType, body.targetId, viewer);
  if (target.deleted || target.pending) fail('CONTENT_DELETED', `This ${target.type} cannot take notes`);
  const communityId = target.communityId!;
  if (!access?.isModerator) {
    if (!access?.isMember) fail('NOT_A_MEMBER', 'Join this community to write context notes');
    const settings = await loadSettings(deps.db, communityId);
    const level = await levelOf(deps.db, communityId, viewer.userId);
    if (level < settings.unlocks.writeContextNotes) {
      fail(
        'TRUST_LEVEL_TOO_LOW',
        `Context notes need trust level ${settings.unlocks.writeContextNotes} here`,
      );
    }
  }
  const row = await nq.insertNote(deps.db, {
    communityId,
    type: body.targetType,
    targetId: body.targetId,
    threadId: target.threadId!,
    authorId: viewer.userId,
    body: body.body.trim(),
    now: deps.clock.now(),
  });
  if (!row) fail('NOTE_EXISTS', 'You already wrote a note here; edit or delete it instead');
  return getNote(deps, viewer, row.id);
}

async function rateAccess(
  deps: ModerationDeps,
  viewer: Viewer | null,
  communityId: number,
  isModerator: boolean,
) {
  if (!viewer) return false;
  if (isModerator) return true;
  const m = await mq.findMembership(deps.db, communityId, viewer.userId);
  if (m?.status !== 'active') return false;
  const settings = await loadSettings(deps.db, communityId);
  return (await levelOf(deps.db, communityId, viewer.userId)) >= settings.unlocks.rateContextNotes;
}

function present(
  n: nq.NoteRow,
  author: string | null,
  mine: number | undefined,
  canRate: boolean,
  viewer: Viewer | null,
) {
  return {
    id: n.id,
    targetType: n.target_type,
    targetId: n.target_id,
    threadId: n.thread_id,
    body: n.body,
    author,
    status: n.status,
    shown: n.status === 'helpful',
    ratingCount: n.rating_count,
    // The model's numbers, for the curious and for moderators (null before the first scoring).
    intercept: n.intercept == null ? null : Math.round(n.intercept * 1000) / 1000,
    factor: n.factor == null ? null : Math.round(n.factor * 1000) / 1000,
    myRating: mine ?? null,
    canRate: canRate && n.author_id !== viewer?.userId,
    createdAt: iso(n.created_at),
    scoredAt: isoOrNull(n.scored_at),
  };
}

/** Notes on a thread and its comments: Helpful ones for everyone, all of them for raters and authors. */
export async function notesOfThread(deps: ModerationDeps, viewer: Viewer | null, threadId: number) {
  const { target, access } = viewer
    ? await loadReadableTarget(deps.db, 'thread', threadId, viewer)
    : await publicThread(deps, threadId);
  const canRate = await rateAccess(deps, viewer, target.communityId!, access?.isModerator ?? false);
  const rows = (await nq.notesOfThread(deps.db, threadId)).filter(
    (n) => n.status === 'helpful' || canRate || n.author_id === viewer?.userId,
  );
  const authors = await mq.usersByIds(
    deps.db,
    rows.map((r) => r.author_id),
  );
  const mine = viewer
    ? await nq.ratingsBy(
        deps.db,
        viewer.userId,
        rows.map((r) => r.id),
      )
    : new Map();
  return {
    items: rows.map((n) =>
      present(n, authors.get(n.author_id)?.username ?? null, mine.get(n.id), canRate, viewer),
    ),
  };
}

/** Anonymous readers: public communities' visible threads only. */
async function publicThread(deps: ModerationDeps, threadId: number) {
  const t = await mq.findThreadTarget(deps.db, threadId);
  const c = t && (await mq.findCommunityById(deps.db, t.community_id));
  if (!t || !c || c.visibility !== 'public' || t.deleted_at != null || t.status !== 'visible') {
    fail('THREAD_NOT_FOUND', `No thread ${threadId}`);
  }
  return { target: { communityId: t.community_id }, access: null };
}

/**
 * A note the viewer may see: 404 NOTE_NOT_FOUND for a private or unreadable target, and for a
 * note that is not shown yet (or no longer) to anyone but its author, raters and moderators,
 * on every route (reading, rating, deleting), so no answer tells a hidden note exists.
 */
async function loadVisibleNote(deps: ModerationDeps, viewer: Viewer, id: number) {
  const n = await nq.findNote(deps.db, id);
  if (!n || n.deleted_at != null) fail('NOTE_NOT_FOUND', `No note ${id}`);
  const { access } = await loadReadableTarget(deps.db, n.target_type, n.target_id, viewer).catch(() =>
    fail('NOTE_NOT_FOUND', `No note ${id}`),
  );
  const canRate = await rateAccess(deps, viewer, n.community_id, access?.isModerator ?? false);
  if (n.status !== 'helpful' && !canRate && n.author_id !== viewer.userId)
    fail('NOTE_NOT_FOUND', `No note ${id}`);
  return { n, access, canRate };
}

export async function getNote(deps: ModerationDeps, viewer: Viewer, id: number) {
  const { n, canRate } = await loadVisibleNote(deps, viewer, id);
  const author = (await mq.findUser(deps.db, n.author_id))?.username ?? null;
  const mine = (await nq.ratingsBy(deps.db, viewer.userId, [id])).get(id);
  return present(n, author, mine, canRate, viewer);
}

export async function rateNote(
  deps: ModerationDeps,
  viewer: Viewer,
  id: number,
  helpful: keyof typeof HELPFULNESS,
) {
  const { n, access, canRate } = await loadVisibleNote(deps, viewer, id);
  if (n.author_id === viewer.userId) fail('FORBIDDEN', 'You cannot rate your own note');
  if (!canRate) {
    if (!access?.isMember) fail('NOT_A_MEMBER', 'Join this community to rate its context notes');
    const settings = await loadSettings(deps.db, n.community_id);
    fail('TRUST_LEVEL_TOO_LOW', `Rating notes needs trust level ${settings.unlocks.rateContextNotes} here`);
  }
  const value = HELPFULNESS[helpful];
  await nq.upsertRating(deps.db, {
    noteId: id,
    userId: viewer.userId,
    communityId: n.community_id,
    value,
    now: deps.clock.now(),
  });
  return { noteId: id, value };
}

export async function deleteNote(deps: ModerationDeps, viewer: Viewer, id: number) {
  const { n, access } = await loadVisibleNote(deps, viewer, id);
  if (n.author_id !== viewer.userId && !access?.isModerator)
    fail('FORBIDDEN', 'Only the author or a moderator can delete this note');
  await nq.softDeleteNote(deps.db, id, deps.clock.now());
}

/**
 * "Notes needing ratings": a community's notes still waiting for ratings that the viewer may
 * rate and has not rated yet (not their own), newest first, each with its thread to open.
 */
export async function notesToRate(
  deps: ModerationDeps,
  viewer: Viewer,
  slug: string,
  query: { cursor?: string; limit: number },
) {
  const { community, access } = await loadCommunity(deps.db, slug, viewer);
  if (!(await rateAccess(deps, viewer, community.id, access.isModerator))) {
    if (!access.isMember) fail('NOT_A_MEMBER', 'Join this community to rate its context notes');
    const settings = await loadSettings(deps.db, community.id);
    fail('TRUST_LEVEL_TOO_LOW', `Rating notes needs trust level ${settings.unlocks.rateContextNotes} here`);
  }
  const after = decodeCursor(query.cursor, ['id']);
  const rows = await nq.notesToRate(deps.db, {
    communityId: community.id,
    userId: viewer.userId,
    beforeId: (after?.[0] as number) ?? null,
    limit: query.limit,
  });
  const { items, nextCursor } = page(rows, query.limit, (r) => [r.id]);
  const authors = await mq.usersByIds(
    deps.db,
    items.map((r) => r.author_id),
  );
  return {
    items: items.map((n) => ({
      ...present(n, authors.get(n.author_id)?.username ?? null, undefined, true, viewer),
      thread: { id: n.thread_id, title: n.thread_title },
    })),
    nextCursor,
  };
}

/** Fits the model on all of a community's ratings and updates every note's status. */
export async function scoreCommunity(deps: ModerationDeps, communityId: number) {
  const ratings = await nq.ratingsOfCommunity(deps.db, communityId);
  const fit = fitBridging(ratings.map((r) => ({ rater: r.user_id, note: r.note_id, value: r.value })));
  const counts = new Map<number, number>();
  for (const r of ratings) counts.set(r.note_id, (counts.get(r.note_id) ?? 0) + 1);
  const notes = await nq.notesOfCommunity(deps.db, communityId);
  const now = deps.clock.now();
  let changed = 0;
  await inTransaction(deps, async (trx) => {
    for (const n of notes) {
      const p = fit.notes.get(n.id);
      const status: NoteStatus = noteStatus(p, counts.get(n.id) ?? 0, n.status);
      await nq.saveScore(trx, n.id, {
        intercept: p?.intercept ?? null,
        factor: p?.factor ?? null,
        status,
        ratings: counts.get(n.id) ?? 0,
        now,
      });
      if (status !== n.status) {
        changed++;
        await deps.events.emit(trx, 'moderation.note_status_changed', {
          noteId: n.id,
          communityId,
          targetType: n.target_type,
          targetId: n.target_id,
          status,
        });
      }
    }
  });
  return { notes: notes.length, ratings: ratings.length, changed, loss: fit.loss };
}

/** The periodic job: rescore communities with new ratings. */
export async function scoreAll(deps: ModerationDeps) {
  const ids = await nq.communitiesToScore(deps.db);
  for (const id of ids) await scoreCommunity(deps, id);
  return { communities: ids.length };
}

/** Moderators rescore now instead of waiting for the job. */
export async function scoreNow(deps: ModerationDeps, slug: string, viewer: Viewer) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  return scoreCommunity(deps, community.id);
}
