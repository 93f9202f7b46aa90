import { type ExpressionBuilder, sql, type Transaction } from 'kysely';
import { dialectOf, stringAgg } from '../../db/dialect.ts';
import type { Db } from '../../db/index.ts';
import type { DB, TargetType } from '../../db/schema.ts';
import { SORT_COLUMNS, type ThreadSort } from './content.ranking.ts';

type Q = Db | Transaction<DB>;

const THREAD_COLUMNS = [
  'threads.id',
  'threads.community_id',
  'threads.author_id',
  'threads.title',
  'threads.body',
  'threads.body_html',
  'threads.excerpt',
  'threads.score',
  'threads.reaction_counts',
  'threads.comment_count',
  'threads.hot_rank',
  'threads.hot_rank_active',
  'threads.scaled_rank',
  'threads.controversy_rank',
  'threads.pinned',
  'threads.locked',
  'threads.created_at',
  'threads.edited_at',
  'threads.last_comment_at',
  'threads.deleted_at',
  'threads.status',
  'threads.accepted_comment_id',
  'threads.wiki',
  'communities.slug as community_slug',
  'communities.name as community_name',
  'communities.visibility as community_visibility',
  'author.username as author_username',
  'author.display_name as author_display_name',
  'author.avatar_url as author_avatar_url',
] as const;

/**
 * A thread with its community, author and tags in one query (the read path of every
 * thread page and list): tags come back comma-joined from a correlated subquery, each name
 * looked up by primary key (as a join, PostgreSQL hashed the whole tags table for every row).
 */
function threadQuery(db: Q) {
  const agg = stringAgg(dialectOf(db as Db));
  return db
    .selectFrom('threads')
    .innerJoin('communities', 'communities.id', 'threads.community_id')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .select(THREAD_COLUMNS)
    .select((_eb: ExpressionBuilder<DB, 'threads'>) =>
      sql<
        string | null
      >`(select ${agg}((select tags.name from tags where tags.id = thread_tags.tag_id), ',') from thread_tags where thread_tags.thread_id = threads.id)`.as(
        'tag_names',
      ),
    );
}

export const findThread = (db: Q, id: number) =>
  threadQuery(db).where('threads.id', '=', id).executeTakeFirst();
export type ThreadRow = NonNullable<Awaited<ReturnType<typeof findThread>>>;

/**
 * Threads by id, in no particular order (the home feed and search load their page with it).
 * Threads held for approval (issue 6) never appear in feeds or search results.
 */
export const findThreadsByIds = (db: Q, ids: number[]) =>
  ids.length
    ? threadQuery(db).where('threads.id', 'in', ids).where('threads.status', '=', 'visible').execute()
    : Promise.resolve([]);

/**
 * findThreadsByIds for a page of summaries (the home feed), with the viewer's reaction and the
 * sponsor label (sponsored_content: one per target) in the same statement: one round trip
 * instead of three.
 */
export const findThreadSummaries = (db: Q, ids: number[], viewerId: number | null) =>
  ids.length
    ? threadQuery(db)
        .leftJoin('sponsored_content as sc', (join) =>
          join
            .onRef('sc.target_id', '=', 'threads.id')
            .on('sc.target_type', '=', 'thread')
            .on('sc.removed_at', 'is', null),
        )
        .leftJoin('brands as sb', 'sb.id', 'sc.brand_id')
        .select([
          'sc.campaign_id as sponsor_campaign_id',
          'sb.slug as sponsor_slug',
          'sb.name as sponsor_name',
        ])
        .select(
          sql<string | null>`(select r.kind from reactions r where r.target_type = 'thread'
            and r.target_id = threads.id and r.user_id = ${viewerId ?? 0})`.as('my_reaction'),
        )
        .where('threads.id', 'in', ids)
        .where('threads.status', '=', 'visible')
        .execute()
    : Promise.resolve([]);
export type ThreadSummaryRow = Awaited<ReturnType<typeof findThreadSummaries>>[number];

export interface ListThreadsArgs {
  communityId: number;
  sort: ThreadSort;
  since: number | null;
  tagId: number | null;
  after: (string | number)[] | null;
  limit: number;
  pinnedOnly?: boolean;
  /** The threads cross-posted into the community instead of its own. */
  crossposted?: boolean;
}

/** Keyset pagination over the stored sort keys (SORT_COLUMNS: hot_rank, created_at, score, ...) and id, all descending. */
export function listThreads(db: Q, a: ListThreadsArgs) {
  const key = `threads.${SORT_COLUMNS[a.sort]}` as const;
  let q = threadQuery(db)
    .where((eb) =>
      a.crossposted
        ? // Threads of partner communities cross-posted here (collaborations), keyed by thread_crossposts' index.
          eb(
            'threads.id',
            'in',
            eb
              .selectFrom('thread_crossposts')
              .select('thread_id')
              .where('thread_crossposts.community_id', '=', a.communityId),
          )
        : eb('threads.community_id', '=', a.communityId),
    )
    .where('threads.deleted_at', 'is', null)
    .where('threads.status', '=', 'visible');
  if (a.pinnedOnly) q = q.where('threads.pinned', '=', 1);
  if (a.since != null) q = q.where('threads.created_at', '>=', a.since);
  if (a.tagId != null) {
    const tagId = a.tagId;
    q = q.where('threads.id', 'in', (eb) =>
      eb
        .selectFrom('thread_tags')
        .select('thread_id')
        .where('tag_id', '=', tagId)
        .where('community_id', '=', a.crossposted ? eb.ref('threads.community_id') : a.communityId),
    );
  }
  if (a.after) {
    const [v, id] = a.after as [number, number];
    q = q.where((eb) => eb.or([eb(key, '<', v), eb.and([eb(key, '=', v), eb('threads.id', '<', id)])]));
  }
  return q
    .orderBy(key, 'desc')
    .orderBy('threads.id', 'desc')
    .limit(a.limit + 1)
    .execute();
}

export const findUsersByIds = (db: Q, ids: number[]) =>
  ids.length
    ? db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'avatar_url'])
        .where('id', 'in', ids)
        .execute()
    : Promise.resolve([]);

export const findUsersByUsernames = (db: Q, names: string[]) =>
  names.length
    ? db.selectFrom('users').select(['id', 'username']).where('username', 'in', names).execute()
    : Promise.resolve([]);

/** Of these users, the ones who are active members of the community. */
export const filterActiveMembers = async (db: Q, communityId: number, userIds: number[]) =>
  userIds.length
    ? (
        await db
          .selectFrom('memberships')
          .select('user_id')
          .where('community_id', '=', communityId)
          .where('status', '=', 'active')
          .where('user_id', 'in', userIds)
          .execute()
      ).map((r) => r.user_id)
    : [];

export async function tagsOfThreads(db: Q, threadIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (!threadIds.length) return map;
  const rows = await db
    .selectFrom('thread_tags')
    .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
    .select(['thread_tags.thread_id', 'tags.name'])
    .where('thread_tags.thread_id', 'in', threadIds)
    .orderBy('tags.name')
    .execute();
  for (const r of rows) map.set(r.thread_id, [...(map.get(r.thread_id) ?? []), r.name]);
  return map;
}

export async function replaceThreadTags(db: Q, threadId: number, communityId: number, tagIds: number[]) {
  await db.deleteFrom('thread_tags').where('thread_id', '=', threadId).execute();
  if (tagIds.length) {
    await db
      .insertInto('thread_tags')
      .values(tagIds.map((tag_id) => ({ thread_id: threadId, tag_id, community_id: communityId })))
      .execute();
  }
}

export async function mentionsOf(
  db: Q,
  targetType: TargetType,
  ids: number[],
): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (!ids.length) return map;
  const rows = await db
    .selectFrom('mentions')
    .innerJoin('users', 'users.id', 'mentions.user_id')
    .select(['mentions.target_id', 'users.username'])
    .where('mentions.target_type', '=', targetType)
    .where('mentions.target_id', 'in', ids)
    .orderBy('users.username')
    .execute();
  for (const r of rows) map.set(r.target_id, [...(map.get(r.target_id) ?? []), r.username]);
  return map;
}

type MentionTarget = { targetType: TargetType; targetId: number; communityId: number; now: number };

/** Stores the mentions of new content. */
export async function insertMentions(db: Q, t: MentionTarget, userIds: number[]) {
  if (!userIds.length) return;
  await db
    .insertInto('mentions')
    .values(
      userIds.map((user_id) => ({
        target_type: t.targetType,
        target_id: t.targetId,
        community_id: t.communityId,
        user_id,
        created_at: t.now,
      })),
    )
    .execute();
}

/** Replaces the stored mentions of a thread or comment; returns the user ids mentioned for the first time. */
export async function replaceMentions(db: Q, t: MentionTarget, userIds: number[]): Promise<number[]> {
  const before = new Set(
    (
      await db
        .selectFrom('mentions')
        .select('user_id')
        .where('target_type', '=', t.targetType)
        .where('target_id', '=', t.targetId)
        .execute()
    ).map((r) => r.user_id),
  );
  await db
    .deleteFrom('mentions')
    .where('target_type', '=', t.targetType)
    .where('target_id', '=', t.targetId)
    .execute();
  await insertMentions(db, t, userIds);
  return userIds.filter((id) => !before.has(id));
}

export async function myReactions(db: Q, userId: number, targetType: TargetType, ids: number[]) {
  const map = new Map<number, string>();
  if (!ids.length) return map;
  const rows = await db
    .selectFrom('reactions')
    .select(['target_id', 'kind'])
    .where('user_id', '=', userId)
    .where('target_type', '=', targetType)
    .where('target_id', 'in', ids)
    .execute();
  for (const r of rows) map.set(r.target_id, r.kind);
  return map;
}

/** A comment with its author and the usernames it mentions, in one query. */
function commentQuery(db: Q) {
  const agg = stringAgg(dialectOf(db as Db));
  return db
    .selectFrom('comments')
    .innerJoin('users as author', 'author.id', 'comments.author_id')
    .selectAll('comments')
    .select([
      'author.username as author_username',
      'author.display_name as author_display_name',
      'author.avatar_url as author_avatar_url',
    ])
    .select(() =>
      sql<
        string | null
      >`(select ${agg}(users.username, ',') from mentions join users on users.id = mentions.user_id where mentions.target_type = 'comment' and mentions.target_id = comments.id)`.as(
        'mention_names',
      ),
    );
}

export const findComment = (db: Q, id: number) =>
  commentQuery(db).where('comments.id', '=', id).executeTakeFirst();
export type CommentRow = NonNullable<Awaited<ReturnType<typeof findComment>>>;

/**
 * Comments in tree order (materialized path), keyset on the path. Comments held for approval
 * (issue 6) are included for `pendingOf`: 'all' (moderators) or one author's id.
 */
export function listComments(
  db: Q,
  threadId: number,
  afterPath: string | null,
  limit: number,
  pendingOf: 'all' | number | null = null,
) {
  let q = commentQuery(db).where('comments.thread_id', '=', threadId);
  if (pendingOf !== 'all') {
    q = q.where((eb) =>
      pendingOf == null
        ? eb('comments.status', '=', 'visible')
        : eb.or([eb('comments.status', '=', 'visible'), eb('comments.author_id', '=', pendingOf)]),
    );
  }
  if (afterPath) q = q.where('comments.path', '>', afterPath);
  return q
    .orderBy('comments.path')
    .limit(limit + 1)
    .execute();
}

export const insertRevision = (
  db: Q,
  r: {
    communityId: number;
    targetType: TargetType;
    targetId: number;
    title: string | null;
    body: string;
    editedBy: number;
    now: number;
  },
) =>
  db
    .insertInto('revisions')
    .values({
      community_id: r.communityId,
      target_type: r.targetType,
      target_id: r.targetId,
      title: r.title,
      body: r.body,
      edited_by: r.editedBy,
      created_at: r.now,
    })
    .execute();

export const listRevisions = (db: Q, targetType: TargetType, targetId: number) =>
  db
    .selectFrom('revisions')
    .selectAll()
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .orderBy('id', 'desc')
    .execute();

/** Reaction counts per kind for one target. */
export const countReactions = (db: Q, targetType: TargetType, targetId: number) =>
  db
    .selectFrom('reactions')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .groupBy('kind')
    .execute();

export const findReaction = (db: Q, targetType: TargetType, targetId: number, userId: number) =>
  db
    .selectFrom('reactions')
    .select(['id', 'kind'])
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

/** Attribution of imported content (issue 10, importers module): source link, author name, licence. */
export async function attributionsOf(db: Q, targetType: TargetType, ids: number[]) {
  if (!ids.length) return new Map<number, DB['content_attributions']>();
  const rows = await db
    .selectFrom('content_attributions')
    .selectAll()
    .where('target_type', '=', targetType)
    .where('target_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.target_id, r]));
}

/**
 * Disclosure labels of sponsored threads or comments (issue 9: the partnerships module writes
 * `sponsored_content` when campaign content is published); a label removed by a site admin is gone.
 */
export async function sponsorsOf(db: Q, targetType: TargetType, ids: number[]) {
  const map = new Map<number, { campaignId: number; brand: { slug: string; name: string } }>();
  if (!ids.length) return map;
  const rows = await db
    .selectFrom('sponsored_content')
    .innerJoin('brands', 'brands.id', 'sponsored_content.brand_id')
    .select(['sponsored_content.target_id', 'sponsored_content.campaign_id', 'brands.slug', 'brands.name'])
    .where('sponsored_content.target_type', '=', targetType)
    .where('sponsored_content.target_id', 'in', ids)
    .where('sponsored_content.removed_at', 'is', null)
    .execute();
  for (const r of rows)
    map.set(r.target_id, { campaignId: r.campaign_id, brand: { slug: r.slug, name: r.name } });
  return map;
}
/** Communities a thread is cross-posted into (collaborations' thread_crossposts). */
export const crosspostTargets = (db: Q, threadId: number) =>
  db
    .selectFrom('thread_crossposts')
    .innerJoin('communities', 'communities.id', 'thread_crossposts.community_id')
    .select(['communities.id', 'communities.visibility'])
    .where('thread_crossposts.thread_id', '=', threadId)
    .execute();

/** Whether any thread is cross-posted into the community (so its list needs the second arm). */
export const hasCrossposts = async (db: Q, communityId: number) =>
  !!(await db
    .selectFrom('thread_crossposts')
    .select('thread_id')
    .where('community_id', '=', communityId)
    .limit(1)
    .executeTakeFirst());
