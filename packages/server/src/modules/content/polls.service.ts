import type { Viewer } from '../../platform/auth.ts';
import { isoOrNull } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import { assertMember } from '../../platform/permissions.ts';
import { loadReadableThread } from './content.present.ts';
import * as q from './polls.queries.ts';
import type { CreatePollBody, Poll } from './polls.schema.ts';
import type { ContentDeps } from './threads.service.ts';
import './polls.events.ts';

/**
 * Polls in threads. A poll is attached by the thread's author (right after creating the
 * thread, or later) and may be replaced until the first vote. Who may read and vote follows
 * the thread (private communities, cross-posts: content.present). One ballot per member,
 * final: the poll_ballots primary key makes a second vote fail atomically, and because a
 * ballot cannot be changed, voting to see the hidden results and then switching is not
 * possible. Results (per-option counts) stay hidden until the viewer voted or the poll closed.
 */

export async function getPoll(deps: ContentDeps, threadId: number, viewer: Viewer | null) {
  const { access } = await loadReadableThread(deps.db, threadId, viewer);
  const poll = await q.findPollOfThread(deps.db, threadId);
  return { poll: poll ? await present(deps, poll, viewer, access.isMember || access.isModerator) : null };
}

async function present(
  deps: ContentDeps,
  poll: q.PollRow,
  viewer: Viewer | null,
  member: boolean,
): Promise<Poll> {
  const options = await q.listOptions(deps.db, poll.id);
  const ballot = viewer ? await q.findBallot(deps.db, poll.id, viewer.userId) : undefined;
  const closed = poll.closes_at != null && poll.closes_at <= deps.clock.now();
  const visible = closed || !!ballot;
  return {
    id: poll.id,
    threadId: poll.thread_id,
    question: poll.question,
    maxChoices: poll.max_choices,
    closesAt: isoOrNull(poll.closes_at),
    closed,
    voterCount: poll.voter_count,
    resultsVisible: visible,
    myVote: ballot ? ballot.option_ids.split(',').map(Number) : null,
    canVote: member && !closed && !ballot,
    options: options.map((o) => ({ id: o.id, label: o.label, votes: visible ? o.vote_count : null })),
  };
}

export async function createPoll(deps: ContentDeps, threadId: number, viewer: Viewer, body: CreatePollBody) {
  const { thread, access } = await loadReadableThread(deps.db, threadId, viewer);
  if (thread.author_id !== viewer.userId) fail('FORBIDDEN', 'Only the author of the thread can add a poll');
  if (thread.deleted_at) fail('CONTENT_DELETED', 'This thread was deleted');
  const labels = body.options.map((o) => o.trim());
  if (labels.some((l) => !l)) invalid('options', 'an option cannot be blank');
  if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length)
    invalid('options', 'options must differ');
  if (body.maxChoices > labels.length) invalid('maxChoices', 'cannot exceed the number of options');
  const now = deps.clock.now();
  const closesAt = body.closesAt ? Date.parse(body.closesAt) : null;
  if (closesAt != null && !(closesAt > now)) invalid('closesAt', 'must be in the future');
  await inTransaction(deps, async (trx) => {
    const existing = await q.findPollOfThread(trx, threadId);
    if (existing && existing.voter_count > 0)
      fail('POLL_HAS_VOTES', 'This poll has votes; it can no longer change');
    if (existing) await q.deletePoll(trx, existing.id);
    const pollId = await q.insertPoll(trx, {
      threadId,
      communityId: thread.community_id,
      authorId: viewer.userId,
      question: body.question.trim(),
      maxChoices: body.maxChoices,
      closesAt,
      options: labels,
      now,
    });
    await deps.events.emit(trx, 'content.poll_created', {
      pollId,
      threadId,
      communityId: thread.community_id,
    });
  });
  const poll = (await q.findPollOfThread(deps.db, threadId))!;
  return { poll: await present(deps, poll, viewer, access.isMember || access.isModerator) };
}

export async function vote(deps: ContentDeps, threadId: number, viewer: Viewer, optionIds: number[]) {
  const { thread, access } = await loadReadableThread(deps.db, threadId, viewer);
  assertMember(access);
  if (thread.deleted_at) fail('CONTENT_DELETED', 'This thread was deleted');
  const poll = await q.findPollOfThread(deps.db, threadId);
  if (!poll) fail('POLL_NOT_FOUND', 'This thread has no poll');
  const now = deps.clock.now();
  if (poll.closes_at != null && poll.closes_at <= now) fail('POLL_CLOSED', 'This poll is closed');
  const ids = [...new Set(optionIds)];
  if (ids.length !== optionIds.length) invalid('optionIds', 'an option is chosen twice');
  if (ids.length > poll.max_choices)
    invalid(
      'optionIds',
      poll.max_choices === 1 ? 'choose one option' : `choose at most ${poll.max_choices} options`,
    );
  const valid = new Set((await q.listOptions(deps.db, poll.id)).map((o) => o.id));
  if (ids.some((id) => !valid.has(id))) invalid('optionIds', 'is not an option of this poll');
  await inTransaction(deps, async (trx) => {
    const fresh = await q.insertBallot(trx, {
      pollId: poll.id,
      userId: viewer.userId,
      communityId: poll.community_id,
      optionIds: ids.sort((a, b) => a - b),
      now,
    });
    if (!fresh) fail('ALREADY_VOTED', 'You already voted in this poll');
    await q.countVote(trx, poll.id, ids);
    await deps.events.emit(trx, 'content.poll_voted', {
      pollId: poll.id,
      threadId,
      communityId: poll.community_id,
      userId: viewer.userId,
    });
  });
  return { poll: await present(deps, (await q.findPollOfThread(deps.db, threadId))!, viewer, true) };
}
