import type { Db } from '../../db/index.ts';
import type { DB, TargetType } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { AppError, fail } from '../../platform/errors.ts';
import { type CommunityAccess, communityAccess } from '../../platform/permissions.ts';
import * as q from './content.queries.ts';
import type { Comment, Sponsored, Thread, ThreadSummary } from './content.schema.ts';

/** Loading with authorization, and turning rows into API objects in batches (no N+1). */

export async function loadReadableThread(db: Db, id: number, viewer: Viewer | null) {
  const thread = await q.findThread(db, id);
  if (!thread) fail('THREAD_NOT_FOUND', `No thread ${id}`);
  let access = await communityAccess(
    db,
    { id: thread.community_id, visibility: thread.community_visibility },
    viewer,
  );
  // Cross-posted to partner communities (collaborations): their readers read it, their members take part.
  if (!access.canRead || (viewer && !access.isMember && !access.isModerator))
    access = await withPartnerAccess(db, thread.id, access, viewer);
  // Private: 404 to outsiders, so existence does not leak. Deleted: only moderators still see it.
  // Held for approval (issue 6): only its author and moderators.
  const hidden = thread.status === 'pending' && thread.author_id !== viewer?.userId;
  if (!access.canRead || ((thread.deleted_at || hidden) && !access.isModerator))
    fail('THREAD_NOT_FOUND', `No thread ${id}`);
  return { thread, access };
}

/**
 * Access to a cross-posted thread through the partner communities it was shared into:
 * reading and membership (posting) widen; moderation stays with the origin community.
 */
async function withPartnerAccess(
  db: Db,
  threadId: number,
  access: CommunityAccess,
  viewer: Viewer | null,
): Promise<CommunityAccess> {
  const targets = await q.crosspostTargets(db, threadId);
  if (!targets.length) return access;
  let { canRead, isMember } = access;
  for (const c of targets) {
    const a = await communityAccess(db, c, viewer);
    canRead ||= a.canRead;
    isMember ||= a.isMember;
  }
  return { ...access, canRead, isMember };
}

export async function loadReadableComment(db: Db, id: number, viewer: Viewer | null) {
  const comment = await q.findComment(db, id);
  if (!comment) fail('COMMENT_NOT_FOUND', `No comment ${id}`);
  let loaded: Awaited<ReturnType<typeof loadReadableThread>>;
  try {
    loaded = await loadReadableThread(db, comment.thread_id, viewer);
  } catch (err) {
    // The thread being unreadable must look exactly like the comment not existing.
    if (err instanceof AppError && err.code === 'THREAD_NOT_FOUND')
      fail('COMMENT_NOT_FOUND', `No comment ${id}`);
    throw err;
  }
  // Held for approval (issue 6): only its author and moderators.
  if (comment.status === 'pending' && comment.author_id !== viewer?.userId && !loaded.access.isModerator)
    fail('COMMENT_NOT_FOUND', `No comment ${id}`);
  return { comment, thread: loaded.thread, access: loaded.access };
}

type AuthorRow = Awaited<ReturnType<typeof q.findUsersByIds>>[number];
export const presentAuthor = (u: AuthorRow | undefined, id: number) => ({
  id,
  username: u?.username ?? 'unknown',
  displayName: u?.display_name ?? 'unknown',
  avatarUrl: u?.avatar_url ?? null,
});

/** Loads the authors of a batch once; returns a presenter by id. */
export async function authorsOf(db: Db, ids: number[]) {
  const rows = await q.findUsersByIds(db, [...new Set(ids)]);
  const map = new Map(rows.map((r) => [r.id, r]));
  return (id: number) => presentAuthor(map.get(id), id);
}

async function reactionsOf(db: Db, viewer: Viewer | null, type: TargetType, ids: number[]) {
  return viewer ? q.myReactions(db, viewer.userId, type, ids) : new Map<number, string>();
}

export async function presentThreads(
  db: Db,
  rows: q.ThreadRow[],
  viewer: Viewer | null,
): Promise<ThreadSummary[]> {
  // Author and tags come with the rows (see threadQuery); only the viewer's own reactions are fetched.
  const ids = rows.map((r) => r.id);
  const [mine, sponsors] = await Promise.all([
    reactionsOf(db, viewer, 'thread', ids),
    q.sponsorsOf(db, 'thread', ids),
  ]);
  return rows.map((t) => summaryOf(t, mine.get(t.id) ?? null, sponsors.get(t.id) ?? null));
}

/** Summaries of rows that carry the viewer's reaction and the sponsor label (q.findThreadSummaries). */
export function presentThreadSummaries(rows: q.ThreadSummaryRow[]): ThreadSummary[] {
  return rows.map((t) =>
    summaryOf(
      t,
      t.my_reaction ?? null,
      t.sponsor_campaign_id != null && t.sponsor_slug != null && t.sponsor_name != null
        ? { campaignId: t.sponsor_campaign_id, brand: { slug: t.sponsor_slug, name: t.sponsor_name } }
        : null,
    ),
  );
}

function summaryOf(t: q.ThreadRow, myReaction: string | null, sponsored: Sponsored | null): ThreadSummary {
  return {
    id: t.id,
    community: { id: t.community_id, slug: t.community_slug, name: t.community_name },
    author: {
      id: t.author_id,
      username: t.author_username,
      displayName: t.author_display_name,
      avatarUrl: t.author_avatar_url,
    },
    title: t.title,
    excerpt: t.deleted_at ? '' : t.excerpt,
    tags: t.tag_names ? t.tag_names.split(',').sort() : [],
    score: t.score,
    reactionCounts: JSON.parse(t.reaction_counts),
    myReaction,
    commentCount: t.comment_count,
    pinned: t.pinned === 1,
    locked: t.locked === 1,
    deleted: t.deleted_at != null,
    pending: t.status === 'pending',
    createdAt: iso(t.created_at),
    editedAt: isoOrNull(t.edited_at),
    lastCommentAt: isoOrNull(t.last_comment_at),
    sponsored,
    acceptedCommentId: t.accepted_comment_id ?? null,
    wiki: t.wiki === 1,
  };
}

export async function presentThread(db: Db, t: q.ThreadRow, viewer: Viewer | null): Promise<Thread> {
  const [summary] = await presentThreads(db, [t], viewer);
  const mentions = await q.mentionsOf(db, 'thread', [t.id]);
  const attribution = (await q.attributionsOf(db, 'thread', [t.id])).get(t.id);
  return {
    ...summary!,
    body: t.body,
    bodyHtml: t.body_html,
    mentions: mentions.get(t.id) ?? [],
    ...(attribution && { attribution: presentAttribution(attribution) }),
  };
}

const presentAttribution = (a: DB['content_attributions']) => ({
  source: a.source_name,
  url: a.source_url,
  authorName: a.author_name,
  authorUrl: a.author_url,
  license: a.license,
});

export async function presentComments(
  db: Db,
  rows: q.CommentRow[],
  viewer: Viewer | null,
): Promise<Comment[]> {
  // Authors and mentions come with the rows (see commentQuery); only the viewer's reactions are fetched.
  const ids = rows.map((r) => r.id);
  const [mine, attributions, sponsors] = await Promise.all([
    reactionsOf(db, viewer, 'comment', ids),
    q.attributionsOf(db, 'comment', ids),
    q.sponsorsOf(db, 'comment', ids),
  ]);
  return rows.map((c) =>
    presentCommentRow(c, mine.get(c.id) ?? null, attributions.get(c.id), sponsors.get(c.id) ?? null),
  );
}

/**
 * A comment just written, from the row the insert returned: it has no reactions and no import
 * attribution yet, so presenting it needs no query (the read-back cost three round trips). Its
 * disclosure label, if campaign content attached one in the same transaction, is passed in.
 */
export const presentNewComment = (row: q.CommentRow, sponsored: Sponsored | null = null): Comment =>
  presentCommentRow(row, null, undefined, sponsored);

function presentCommentRow(
  c: q.CommentRow,
  myReaction: string | null,
  attribution: DB['content_attributions'] | undefined,
  sponsored: Sponsored | null,
): Comment {
  {
    const deleted = c.deleted_at != null;
    return {
      id: c.id,
      threadId: c.thread_id,
      parentId: c.parent_id,
      depth: c.depth,
      // A deleted comment keeps its place in the tree (its replies stay readable) but not its words.
      author: deleted
        ? presentAuthor(undefined, 0)
        : {
            id: c.author_id,
            username: c.author_username,
            displayName: c.author_display_name,
            avatarUrl: c.author_avatar_url,
          },
      body: deleted ? null : c.body,
      bodyHtml: deleted ? null : c.body_html,
      mentions: deleted || !c.mention_names ? [] : c.mention_names.split(',').sort(),
      score: c.score,
      reactionCounts: JSON.parse(c.reaction_counts),
      myReaction,
      deleted,
      pending: c.status === 'pending',
      createdAt: iso(c.created_at),
      editedAt: isoOrNull(c.edited_at),
      ...(attribution && { attribution: presentAttribution(attribution) }),
      sponsored,
    };
  }
}

export type { CommunityAccess };
