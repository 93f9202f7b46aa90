import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, DAY, iso } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { assertMember, assertModerator, communityAccess } from '../../platform/permissions.ts';
import { ensureTags, normalizeTag } from '../../platform/tags.ts';
import { recordWrite, screenWrite, type WriteAttempt } from '../../platform/write-gate.ts';
import { excerpt, renderMarkdown } from './content.markdown.ts';
import { authorsOf, loadReadableThread, presentThread, presentThreads } from './content.present.ts';
import * as q from './content.queries.ts';
import { hotRank, refreshHotRanks, refreshThreadRanks, SORT_COLUMNS } from './content.ranking.ts';
import type { CreateThreadBody, ListThreadsQuery, UpdateThreadBody } from './content.schema.ts';
import './content.events.ts';

export interface ContentDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

const PERIOD_MS = { day: DAY, week: 7 * DAY, month: 30 * DAY, year: 365 * DAY } as const;
/** Sorts whose stored key is an integer column (the cursor must carry an integer for PostgreSQL). */
const INT_SORTS = new Set<string>(['new', 'top', 'most_comments']);

/**
 * The users a text mentions who may read it: anyone for a public community,
 * active members for a private one (a mention must not leak private content).
 * Authors do not mention themselves.
 */
export async function resolveMentions(
  trx: Transaction<DB> | Db,
  community: { id: number; visibility: string },
  usernames: string[],
  authorId: number,
): Promise<number[]> {
  return (await resolveMentionUsers(trx, community, usernames, authorId)).map((u) => u.id);
}

/** Like `resolveMentions`, with the usernames (to present new content without reading it back). */
export async function resolveMentionUsers(
  trx: Transaction<DB> | Db,
  community: { id: number; visibility: string },
  usernames: string[],
  authorId: number,
): Promise<{ id: number; username: string }[]> {
  const users = (await q.findUsersByUsernames(trx, usernames)).filter((u) => u.id !== authorId);
  if (community.visibility === 'public' || !users.length) return users;
  const allowed = new Set(
    await q.filterActiveMembers(
      trx,
      community.id,
      users.map((u) => u.id),
    ),
  );
  return users.filter((u) => allowed.has(u.id));
}

async function findCommunity(db: Db, slug: string) {
  return db
    .selectFrom('communities')
    .select(['id', 'visibility'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();
}

/** Loads a community by slug for content routes: 404 unless the viewer may read it. */
async function loadReadableCommunity(deps: ContentDeps, slug: string, viewer: Viewer | null) {
  const community = await findCommunity(deps.db, slug);
  if (!community) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const access = await communityAccess(deps.db, community, viewer);
  if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  return { community, access };
}

/**
 * Runs inside the creating transaction once the new thread or comment has its id (issue 9:
 * partnerships attaches the disclosure label there, so sponsored content never exists unlabelled).
 */
export type AttachFn = (trx: Transaction<DB>, target: { id: number; communityId: number }) => Promise<void>;

export async function createThread(
  deps: ContentDeps,
  slug: string,
  viewer: Viewer,
  sent: CreateThreadBody,
  opts: { attach?: AttachFn } = {},
) {
  const { community, access } = await loadReadableCommunity(deps, slug, viewer);
  assertMember(access);
  // Sanctions, guidelines and automatic moderation (issue 6): may refuse, censor or hold for approval.
  const attempt: WriteAttempt = {
    kind: 'thread',
    communityId: community.id,
    userId: viewer.userId,
    isModerator: access.isModerator,
    title: sent.title,
    body: sent.body,
  };
  const verdict = await screenWrite(deps, attempt);
  const body = { ...sent, title: verdict.title ?? sent.title, body: verdict.body ?? sent.body };
  const rendered = renderMarkdown(body.body);
  const tagNames = [...new Set([...(body.tags ?? []).map((t) => normalizeTag(t)), ...rendered.tags])].slice(
    0,
    10,
  );
  const now = deps.clock.now();
  const id = await inTransaction(deps, async (trx) => {
    const t = await trx
      .insertInto('threads')
      .values({
        community_id: community.id,
        author_id: viewer.userId,
        title: body.title.trim(),
        body: body.body,
        body_html: rendered.html,
        excerpt: excerpt(body.body),
        score: 0,
        up_count: 0,
        down_count: 0,
        reaction_counts: '{}',
        comment_count: 0,
        hot_rank: hotRank(0, now, now),
        hot_rank_active: hotRank(0, now, now),
        pinned: 0,
        locked: 0,
        created_at: now,
        status: verdict.hold ? 'pending' : 'visible',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Every rank, the scaled one divided by the community's activity, before the tags copy it
    // (migration 0015): the thread is in feeds and ranked lists from its first moment.
    await refreshThreadRanks(trx, t.id, now);
    const tagIds = await ensureTags(trx, tagNames, now);
    await q.replaceThreadTags(trx, t.id, community.id, [...tagIds.values()]);
    const mentioned = await resolveMentions(trx, community, rendered.mentions, viewer.userId);
    await q.insertMentions(
      trx,
      { targetType: 'thread', targetId: t.id, communityId: community.id, now },
      mentioned,
    );
    await recordWrite(trx, deps, attempt, verdict, { type: 'thread', id: t.id });
    await opts.attach?.(trx, { id: t.id, communityId: community.id });
    // Held content is announced when a moderator approves it (moderation module), not before.
    if (!verdict.hold) {
      await deps.events.emit(trx, 'content.thread_created', {
        threadId: t.id,
        communityId: community.id,
        authorId: viewer.userId,
        tags: tagNames,
        mentionedUserIds: mentioned,
      });
    }
    return t.id;
  });
  return getThread(deps, id, viewer);
}

export async function getThread(deps: ContentDeps, id: number, viewer: Viewer | null) {
  const { thread } = await loadReadableThread(deps.db, id, viewer);
  return presentThread(deps.db, thread, viewer);
}

export async function listThreads(
  deps: ContentDeps,
  slug: string,
  viewer: Viewer | null,
  query: ListThreadsQuery,
  /** Told the community's id once it is known to be readable (response cache scope). */
  onCommunity?: (communityId: number) => void,
) {
  const { community } = await loadReadableCommunity(deps, slug, viewer);
  onCommunity?.(community.id);
  const sort = query.sort ?? 'hot';
  const period = query.period ?? 'all';
  // The period applies to the sorts that do not decay with time by themselves.
  const periodic = sort === 'top' || sort === 'controversial' || sort === 'most_comments';
  const since = periodic && period !== 'all' ? deps.clock.now() - PERIOD_MS[period] : null;
  let tagId: number | null = null;
  if (query.tag) {
    const tag = await deps.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', normalizeTag(query.tag, 'tag'))
      .executeTakeFirst();
    if (!tag) return { items: [], pinned: [], nextCursor: null };
    tagId = tag.id;
  }
  const after = decodeCursor(query.cursor, [INT_SORTS.has(sort) ? 'int' : 'number', 'id']);
  const rows = await q.listThreads(deps.db, {
    communityId: community.id,
    sort,
    since,
    tagId,
    after,
    limit: query.limit,
  });
  const key = (t: q.ThreadRow) => [t[SORT_COLUMNS[sort]], t.id];
  // Cross-posted threads (collaborations) come from a second keyset query merged in order.
  if (await q.hasCrossposts(deps.db, community.id)) {
    const shared = await q.listThreads(deps.db, {
      communityId: community.id,
      sort,
      since,
      tagId,
      after,
      limit: query.limit,
      crossposted: true,
    });
    const col = SORT_COLUMNS[sort];
    rows.push(...shared);
    rows.sort((x, y) => Number(y[col]) - Number(x[col]) || y.id - x.id);
    rows.splice(query.limit + 1);
  }
  const { items, nextCursor } = page(rows, query.limit, key);
  const pinnedRows = after
    ? []
    : await q.listThreads(deps.db, {
        communityId: community.id,
        sort: 'new',
        since: null,
        tagId,
        after: null,
        limit: 10,
        pinnedOnly: true,
      });
  return {
    items: await presentThreads(deps.db, items, viewer),
    pinned: await presentThreads(deps.db, pinnedRows.slice(0, 10), viewer),
    nextCursor,
  };
}

/**
 * Edits. Authors (and moderators) change title, body and tags; the previous
 * version goes to the revision history. Pinning and locking are for moderators.
 */
export async function updateThread(deps: ContentDeps, id: number, viewer: Viewer, sent: UpdateThreadBody) {
  const { thread, access } = await loadReadableThread(deps.db, id, viewer);
  if (thread.deleted_at) fail('CONTENT_DELETED', 'This thread was deleted');
  const editsText = sent.title !== undefined || sent.body !== undefined || sent.tags !== undefined;
  const moderates = sent.pinned !== undefined || sent.locked !== undefined;
  if (moderates) assertModerator(access);
  const own = thread.author_id === viewer.userId;
  if (sent.wiki !== undefined && !own && !access.isModerator) {
    fail('FORBIDDEN', 'Only the author or a moderator can make this thread a wiki');
  }
  // A wiki thread is editable by members trusted enough (moderation's gate checks the level).
  const wikiEdit = editsText && !own && !access.isModerator && thread.wiki === 1 && access.isMember;
  if (editsText && !own && !access.isModerator && !wikiEdit) {
    fail('FORBIDDEN', 'Only the author or a moderator can edit this thread');
  }
  if (editsText && thread.locked && !access.isModerator) fail('THREAD_LOCKED', 'This thread is locked');
  // Sanctions and watched words apply to edits too (issue 6); an edit is flagged, never held.
  const attempt: WriteAttempt = {
    kind: 'edit_thread',
    communityId: thread.community_id,
    userId: viewer.userId,
    isModerator: access.isModerator,
    threadId: id,
    title: sent.title,
    body: sent.body,
    wikiEdit,
  };
  const verdict = editsText ? await screenWrite(deps, attempt) : null;
  const body = { ...sent, title: verdict?.title ?? sent.title, body: verdict?.body ?? sent.body };
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    if (editsText) {
      const newBody = body.body ?? thread.body;
      const rendered = renderMarkdown(newBody);
      await q.insertRevision(trx, {
        communityId: thread.community_id,
        targetType: 'thread',
        targetId: id,
        title: thread.title,
        body: thread.body,
        editedBy: viewer.userId,
        now,
      });
      await trx
        .updateTable('threads')
        .set({
          title: body.title?.trim() ?? thread.title,
          body: newBody,
          body_html: rendered.html,
          excerpt: excerpt(newBody),
          edited_at: now,
        })
        .where('id', '=', id)
        .execute();
      const explicit = body.tags ?? (await q.tagsOfThreads(trx, [id])).get(id) ?? [];
      const tagNames = [...new Set([...explicit.map((t) => normalizeTag(t)), ...rendered.tags])].slice(0, 10);
      const tagIds = await ensureTags(trx, tagNames, now);
      await q.replaceThreadTags(trx, id, thread.community_id, [...tagIds.values()]);
      const community = { id: thread.community_id, visibility: thread.community_visibility };
      const mentioned = await resolveMentions(trx, community, rendered.mentions, thread.author_id);
      const fresh = await q.replaceMentions(
        trx,
        { targetType: 'thread', targetId: id, communityId: thread.community_id, now },
        mentioned,
      );
      await deps.events.emit(trx, 'content.thread_edited', {
        threadId: id,
        communityId: thread.community_id,
        editorId: viewer.userId,
        newMentionedUserIds: fresh,
      });
      if (verdict) await recordWrite(trx, deps, attempt, verdict, { type: 'thread', id });
    }
    if (sent.wiki !== undefined && sent.wiki !== (thread.wiki === 1)) {
      await trx
        .updateTable('threads')
        .set({ wiki: sent.wiki ? 1 : 0 })
        .where('id', '=', id)
        .execute();
      await deps.events.emit(trx, 'content.thread_edited', {
        threadId: id,
        communityId: thread.community_id,
        editorId: viewer.userId,
        newMentionedUserIds: [],
      });
    }
    if (moderates) {
      const pinned = body.pinned ?? thread.pinned === 1;
      const locked = body.locked ?? thread.locked === 1;
      await trx
        .updateTable('threads')
        .set({ pinned: pinned ? 1 : 0, locked: locked ? 1 : 0 })
        .where('id', '=', id)
        .execute();
      await deps.events.emit(trx, 'content.thread_moderated', {
        threadId: id,
        communityId: thread.community_id,
        by: viewer.userId,
        pinned,
        locked,
      });
    }
  });
  return getThread(deps, id, viewer);
}

/** Soft delete by the author or a moderator; who and when are kept. */
export async function deleteThread(deps: ContentDeps, id: number, viewer: Viewer) {
  const { thread, access } = await loadReadableThread(deps.db, id, viewer);
  if (thread.author_id !== viewer.userId && !access.isModerator) {
    fail('FORBIDDEN', 'Only the author or a moderator can delete this thread');
  }
  if (thread.deleted_at) return;
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('threads')
      .set({ deleted_at: deps.clock.now(), deleted_by: viewer.userId, hot_rank: 0 })
      .where('id', '=', id)
      .execute();
    // A held thread was never announced (no thread_created), so its deletion is not either.
    if (thread.status === 'visible') {
      await deps.events.emit(trx, 'content.thread_deleted', {
        threadId: id,
        communityId: thread.community_id,
        authorId: thread.author_id,
        deletedBy: viewer.userId,
      });
    }
  });
}

export async function listRevisions(deps: ContentDeps, type: 'thread' | 'comment', id: number) {
  const rows = await q.listRevisions(deps.db, type, id);
  const author = await authorsOf(
    deps.db,
    rows.map((r) => r.edited_by),
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    editedBy: author(r.edited_by),
    createdAt: iso(r.created_at),
  }));
}

/** The periodic job behind the stored hot rank. */
export const refreshRanks = (deps: ContentDeps) => refreshHotRanks(deps.db, deps.clock.now());
