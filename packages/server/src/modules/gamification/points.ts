import { DAY } from '../../platform/clock.ts';
import type { Events } from '../../platform/events.ts';
import '../content/content.events.ts';
import '../moderation/moderation.events.ts';
import {
  type Award,
  enqueueBadges,
  insertAward,
  pointsOnDay,
  type Q,
  revokePair,
  revokeSource,
  revokeSourcePrefix,
  revokeThread,
} from './gamification.queries.ts';
import { type GamificationSettings, loadSettings, type Reason } from './settings.ts';
import {
  contentIsLive,
  findCommentInfo,
  findNoteInfo,
  findThreadInfo,
  helpfulNoteSources,
  helpfulNotesOn,
  liveCommentsOf,
  notesByIds,
  reactionsBetween,
  reactionsOn,
  threadOf,
} from './sources.queries.ts';

/**
 * Points from domain events, with the community's weights and daily caps. Every handler is
 * idempotent (the ledger's unique key; take-backs delete by source). Never points from your own
 * action on your own content, from a member you share a reaction ring with, or from removed
 * content (removal takes them back; restoring gives them again).
 */

export const src = {
  thread: (id: number) => `thread:${id}`,
  comment: (id: number) => `comment:${id}`,
  reactionPrefix: (type: string, id: number) => `reaction:${type}:${id}:`,
  reaction: (type: string, id: number, reactor: number) => `reaction:${type}:${id}:${reactor}`,
  answer: (commentId: number) => `answer:${commentId}`,
  notePrefix: (type: string, targetId: number) => `note:${type}:${targetId}:`,
  note: (type: string, targetId: number, noteId: number) => `note:${type}:${targetId}:${noteId}`,
  event: (eventId: number) => `event:${eventId}`,
  visit: (communityId: number, day: number) => `visit:${communityId}:${day}`,
};

type Grant = Omit<Award, 'points' | 'reason'> & { reason: Reason };

/**
 * Awards one source's points: the community's weight, cut down to what is left of the member's
 * daily cap for that reason (a capped award is still recorded, with the points it got, so a
 * redelivery stays a no-op and the day still counts for the streak). Queues a badge evaluation.
 */
export async function give(db: Q, settings: GamificationSettings, g: Grant): Promise<void> {
  const weight = settings.weights[g.reason];
  const cap = settings.dailyCaps[g.reason];
  let points = weight;
  if (cap !== null && cap !== undefined) {
    const already = await pointsOnDay(db, g.communityId, g.userId, g.reason, g.at);
    points = Math.max(0, Math.min(weight, cap - already));
  }
  await insertAward(db, { ...g, points });
  await enqueueBadges(db, g.communityId, g.userId, g.at);
}

/** Both members reacted to the other's content at least `ring.minEach` times in the window before `at`. */
export async function inRing(
  db: Q,
  s: GamificationSettings,
  communityId: number,
  a: number,
  b: number,
  at: number,
) {
  const since = at - s.ring.windowDays * DAY;
  if ((await reactionsBetween(db, communityId, a, b, since)) < s.ring.minEach) return false;
  return (await reactionsBetween(db, communityId, b, a, since)) >= s.ring.minEach;
}

async function reactionPoints(
  db: Q,
  s: GamificationSettings,
  r: { type: 'thread' | 'comment'; targetId: number; communityId: number; reactor: number; author: number },
  kind: string,
  at: number,
) {
  const source = src.reaction(r.type, r.targetId, r.reactor);
  // Never points from your own action on your own content; a downvote is not a reward.
  if (r.reactor === r.author) return;
  if (kind === 'downvote') return revokeSource(db, source);
  if (!(await contentIsLive(db, r.type, r.targetId))) return;
  if (await inRing(db, s, r.communityId, r.reactor, r.author, at)) {
    // The ring just closed (or was already closed): what the pair traded in the window goes too.
    return revokePair(db, r.communityId, r.reactor, r.author, at - s.ring.windowDays * DAY);
  }
  await give(db, s, {
    communityId: r.communityId,
    userId: r.author,
    source,
    reason: 'reaction_received',
    at,
    threadId: await threadOf(db, r.type, r.targetId),
    actorId: r.reactor,
  });
}

/** An accepted answer earns its author points, unless they accepted it themselves or it is their own thread. */
async function answerPoints(
  db: Q,
  s: GamificationSettings,
  commentId: number,
  acceptedBy: number,
  at: number,
) {
  const c = await findCommentInfo(db, commentId);
  if (!c || c.accepted_comment_id !== commentId) return;
  if (!(await contentIsLive(db, 'comment', commentId))) return;
  const thread = await findThreadInfo(db, c.thread_id);
  if (!thread || c.author_id === acceptedBy || c.author_id === thread.author_id) return;
  if (await inRing(db, s, c.community_id, acceptedBy, c.author_id, at)) return;
  await give(db, s, {
    communityId: c.community_id,
    userId: c.author_id,
    source: src.answer(commentId),
    reason: 'accepted_answer',
    at,
    threadId: c.thread_id,
    actorId: acceptedBy,
  });
}

/** Restored content: its own points, its reactions', its accepted answer come back (as first awarded). */
async function reawardComment(db: Q, s: GamificationSettings, commentId: number, at: number) {
  const c = await findCommentInfo(db, commentId);
  if (!c || !(await contentIsLive(db, 'comment', commentId))) return;
  await give(db, s, {
    communityId: c.community_id,
    userId: c.author_id,
    source: src.comment(c.id),
    reason: 'comment_created',
    at: c.created_at,
    threadId: c.thread_id,
  });
  for (const r of await reactionsOn(db, 'comment', c.id)) {
    const target = { type: 'comment' as const, targetId: c.id, communityId: c.community_id };
    await reactionPoints(db, s, { ...target, reactor: r.user_id, author: c.author_id }, r.kind, r.created_at);
  }
  if (c.accepted_comment_id === c.id) {
    const t = await findThreadInfo(db, c.thread_id);
    if (t) await answerPoints(db, s, c.id, t.author_id, at);
  }
  for (const n of await helpfulNotesOn(db, 'comment', c.id)) await notePoints(db, s, n.id, at);
}

async function reawardThread(db: Q, s: GamificationSettings, threadId: number, at: number) {
  const t = await findThreadInfo(db, threadId);
  if (!t || !(await contentIsLive(db, 'thread', threadId))) return;
  await give(db, s, {
    communityId: t.community_id,
    userId: t.author_id,
    source: src.thread(t.id),
    reason: 'thread_created',
    at: t.created_at,
    threadId: t.id,
  });
  for (const r of await reactionsOn(db, 'thread', t.id)) {
    const target = { type: 'thread' as const, targetId: t.id, communityId: t.community_id };
    await reactionPoints(db, s, { ...target, reactor: r.user_id, author: t.author_id }, r.kind, r.created_at);
  }
  for (const n of await helpfulNotesOn(db, 'thread', t.id)) await notePoints(db, s, n.id, at);
  for (const c of await liveCommentsOf(db, t.id)) await reawardComment(db, s, c.id, at);
}

/** A context note rated Helpful earns its author points (not for a note on their own content). */
async function notePoints(db: Q, s: GamificationSettings, noteId: number, at: number) {
  const n = await findNoteInfo(db, noteId);
  if (!n) return;
  const source = src.note(n.target_type, n.target_id, n.id);
  const targetAuthor = n.target_type === 'thread' ? n.thread_author_id : n.comment_author_id;
  const live = await contentIsLive(db, n.target_type, n.target_id);
  if (n.status !== 'helpful' || n.deleted_at !== null || !live || targetAuthor === n.author_id) {
    return revokeSource(db, source);
  }
  await give(db, s, {
    communityId: n.community_id,
    userId: n.author_id,
    source,
    reason: 'helpful_note',
    at,
    threadId: n.thread_id,
    actorId: targetAuthor,
  });
}

/** `events.checked_in` (events module, built in parallel): payload it will emit. */
export interface EventCheckedIn {
  eventId: number;
  communityId: number;
  userId: number;
  hostId: number;
}

/**
 * Points for attending an event, from the events module's `events.checked_in` (registered in
 * registerPointHandlers).
 * A host checking themselves in earns nothing (their own action on their own event).
 */
export async function awardEventAttended(db: Q, p: EventCheckedIn, at: number): Promise<void> {
  if (p.userId === p.hostId) return;
  const s = await loadSettings(db, p.communityId);
  await give(db, s, {
    communityId: p.communityId,
    userId: p.userId,
    source: src.event(p.eventId),
    reason: 'event_attended',
    at,
    actorId: p.hostId,
  });
}

/** Points once per UTC day for showing up. */
export async function awardVisit(db: Q, communityId: number, userId: number, at: number): Promise<void> {
  const s = await loadSettings(db, communityId);
  await give(db, s, {
    communityId,
    userId,
    source: src.visit(communityId, Math.floor(at / DAY)),
    reason: 'daily_visit',
    at,
  });
}

/** The `gamification.note_sweep` job: helpful-note points of notes deleted since (no event tells us). */
export async function sweepNoteAwards(db: Q): Promise<number> {
  const sources = await helpfulNoteSources(db);
  const byNote = new Map(sources.map((s) => [Number(s.split(':')[3]), s]));
  let revoked = 0;
  for (const n of await notesByIds(db, [...byNote.keys()])) {
    if (n.deleted_at === null && n.status === 'helpful') continue;
    await revokeSource(db, byNote.get(n.id)!);
    revoked++;
  }
  return revoked;
}

export function registerPointHandlers(events: Events): void {
  const on = events.on.bind(events);
  on('events.checked_in', 'gamification.points.event_attended', (p, c) =>
    awardEventAttended(c.db, p, c.occurredAt),
  );
  on('content.thread_created', 'gamification.points.thread_created', async (p, { db, occurredAt }) => {
    if (!(await contentIsLive(db, 'thread', p.threadId))) return;
    await give(db, await loadSettings(db, p.communityId), {
      communityId: p.communityId,
      userId: p.authorId,
      source: src.thread(p.threadId),
      reason: 'thread_created',
      at: occurredAt,
      threadId: p.threadId,
    });
  });
  on('content.comment_created', 'gamification.points.comment_created', async (p, { db, occurredAt }) => {
    if (!(await contentIsLive(db, 'comment', p.commentId))) return;
    await give(db, await loadSettings(db, p.communityId), {
      communityId: p.communityId,
      userId: p.authorId,
      source: src.comment(p.commentId),
      reason: 'comment_created',
      at: occurredAt,
      threadId: p.threadId,
    });
  });
  on('content.reaction_added', 'gamification.points.reaction_added', async (p, { db, occurredAt }) => {
    const target = { type: p.targetType, targetId: p.targetId, communityId: p.communityId };
    const s = await loadSettings(db, p.communityId);
    await reactionPoints(db, s, { ...target, reactor: p.userId, author: p.authorId }, p.kind, occurredAt);
  });
  on('content.reaction_removed', 'gamification.points.reaction_removed', async (p, { db }) => {
    await revokeSource(db, src.reaction(p.targetType, p.targetId, p.userId));
  });
  // Removed content earns nothing: a thread takes everything earned in it along.
  on('content.thread_deleted', 'gamification.points.thread_deleted', async (p, { db }) => {
    await revokeThread(db, p.threadId);
  });
  on('content.comment_deleted', 'gamification.points.comment_deleted', async (p, { db }) => {
    await revokeSource(db, src.comment(p.commentId));
    await revokeSourcePrefix(db, src.reactionPrefix('comment', p.commentId));
    await revokeSource(db, src.answer(p.commentId));
    await revokeSourcePrefix(db, src.notePrefix('comment', p.commentId));
  });
  on('moderation.content_restored', 'gamification.points.content_restored', async (p, { db, occurredAt }) => {
    const s = await loadSettings(db, p.communityId);
    if (p.targetType === 'thread') await reawardThread(db, s, p.targetId, occurredAt);
    else await reawardComment(db, s, p.targetId, occurredAt);
  });
  on('content.answer_accepted', 'gamification.points.answer_accepted', async (p, { db, occurredAt }) => {
    if (p.previousCommentId !== null) await revokeSource(db, src.answer(p.previousCommentId));
    await answerPoints(db, await loadSettings(db, p.communityId), p.commentId, p.acceptedBy, occurredAt);
  });
  on('content.answer_unaccepted', 'gamification.points.answer_unaccepted', async (p, { db }) => {
    await revokeSource(db, src.answer(p.commentId));
  });
  on('moderation.note_status_changed', 'gamification.points.note_status', async (p, { db, occurredAt }) => {
    await notePoints(db, await loadSettings(db, p.communityId), p.noteId, occurredAt);
  });
}
