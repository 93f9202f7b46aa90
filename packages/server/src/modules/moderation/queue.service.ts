import type { Viewer } from '../../platform/auth.ts';
import { DAY, iso, isoOrNull } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import * as aq from './actions.queries.ts';
import { suggestNext } from './actions.service.ts';
import { accessTo, assertAdmin, loadModeratedCommunity, type ModerationDeps } from './context.ts';
import { ruleTexts } from './guidelines.service.ts';
import * as mq from './moderation.queries.ts';
import * as qq from './queue.queries.ts';

/**
 * The review queue: one screen where a moderator sees each reported or held item with what
 * it is, who wrote it, why it was reported (reasons, cited rules, reporters' weights), the
 * author's record and the ladder's suggested next step; then acts in one call.
 */
export async function communityQueue(
  deps: ModerationDeps,
  slug: string,
  viewer: Viewer,
  query: { cursor?: string; limit: number },
) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  return queuePage(deps, community.id, query);
}

/** The site queue (site admins): profile reports made outside a community, and escalations. */
export async function siteQueue(
  deps: ModerationDeps,
  viewer: Viewer,
  query: { cursor?: string; limit: number },
) {
  assertAdmin(viewer);
  return queuePage(deps, 0, query);
}

async function queuePage(deps: ModerationDeps, scopeId: number, query: { cursor?: string; limit: number }) {
  const after = decodeCursor(query.cursor, ['number', 'id']) as [number, number] | null;
  const rows = await qq.listQueue(deps.db, { scopeId, after, limit: query.limit });
  const { items, nextCursor } = page(rows, query.limit, (r) => [r.score, r.id]);
  return { items: await presentItems(deps, items), nextCursor };
}

export async function getItem(deps: ModerationDeps, viewer: Viewer, id: number) {
  const item = await qq.findItem(deps.db, id);
  const access = item && item.scope_id !== 0 ? await accessTo(deps.db, item.scope_id, viewer) : null;
  const allowed = item && (item.scope_id === 0 ? viewer.isAdmin : access?.isModerator);
  if (!item || !allowed) fail('ITEM_NOT_FOUND', `No review item ${id}`);
  return (await presentItems(deps, [item]))[0]!;
}

const excerpt = (s: string, n = 500) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function presentItems(deps: ModerationDeps, items: qq.ItemRow[]) {
  const db = deps.db;
  const reports = await qq.reportsOfItems(
    db,
    items.map((i) => i.id),
  );
  const threads = new Map(
    (
      await mq.threadsForReview(
        db,
        items.filter((i) => i.target_type === 'thread').map((i) => i.target_id),
      )
    ).map((t) => [t.id, t]),
  );
  const comments = new Map(
    (
      await mq.commentsForReview(
        db,
        items.filter((i) => i.target_type === 'comment').map((i) => i.target_id),
      )
    ).map((c) => [c.id, c]),
  );
  const messages = new Map(
    (
      await mq.messageCopiesForReview(
        db,
        items.filter((i) => i.target_type === 'message').map((i) => i.target_id),
      )
    ).map((m) => [m.message_id, m]),
  );
  const users = await mq.usersByIds(db, [
    ...items.map((i) => i.target_user_id ?? 0),
    ...items.map((i) => i.resolved_by ?? 0),
    ...reports.map((r) => r.reporter_id ?? 0),
  ]);
  const person = (id: number | null) => {
    const u = id == null ? undefined : users.get(id);
    return u ? { id: u.id, username: u.username, displayName: u.display_name } : null;
  };
  const texts = new Map<number, Map<string, string>>();
  const communities = new Map<number, { slug: string; name: string }>();
  for (const cid of new Set(items.map((i) => i.community_id).filter((c): c is number => c != null))) {
    texts.set(cid, await ruleTexts(db, cid));
    const c = await mq.findCommunityById(db, cid);
    if (c) communities.set(cid, c);
  }
  const now = deps.clock.now();
  const out = [];
  for (const item of items) {
    const mine = reports.filter((r) => r.item_id === item.id);
    const reasons: Record<string, number> = {};
    for (const r of mine) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    const t = threads.get(item.target_id);
    const c = comments.get(item.target_id);
    const m = item.target_type === 'message' ? messages.get(item.target_id) : undefined;
    const target =
      item.target_type === 'thread' && t
        ? {
            type: 'thread',
            id: t.id,
            threadId: t.id,
            title: t.title,
            body: excerpt(t.body),
            deleted: t.deleted_at != null,
            pending: t.status === 'pending',
            locked: t.locked === 1,
          }
        : item.target_type === 'comment' && c
          ? {
              type: 'comment',
              id: c.id,
              threadId: c.thread_id,
              title: c.thread_title,
              body: excerpt(c.body),
              deleted: c.deleted_at != null,
              pending: c.status === 'pending',
              locked: false,
            }
          : m
            ? {
                // The reporter's copy of a direct message: the only part of the conversation moderators see.
                type: 'message',
                id: item.target_id,
                threadId: null,
                title: null,
                body: excerpt(m.body),
                deleted: false,
                pending: false,
                locked: false,
              }
            : {
                type: item.target_type,
                id: item.target_id,
                threadId: null,
                title: null,
                body: null,
                deleted: false,
                pending: false,
                locked: false,
              };
    const userId = item.target_user_id;
    const history =
      userId == null || item.community_id == null
        ? null
        : await summarize(deps, item.community_id, userId, now);
    const ruleText = (r: (typeof mine)[number]) =>
      r.rule_number == null || r.community_id == null
        ? null
        : {
            number: r.rule_number,
            version: r.guideline_version,
            text: texts.get(r.community_id)?.get(`${r.guideline_version}:${r.rule_number}`) ?? null,
          };
    out.push({
      id: item.id,
      queue: item.scope_id === 0 ? 'site' : 'community',
      community: item.community_id == null ? null : (communities.get(item.community_id)?.slug ?? null),
      status: item.status,
      held: item.held === 1,
      score: Math.round(item.score * 100) / 100,
      reportCount: item.report_count,
      reasons,
      target,
      author: person(userId),
      reports: mine.slice(0, 20).map((r) => ({
        id: r.id,
        source: r.source,
        reason: r.reason,
        rule: ruleText(r),
        note: r.note,
        weight: Math.round(r.weight * 100) / 100,
        reporter: person(r.reporter_id),
        createdAt: iso(r.created_at),
      })),
      authorRecord: history,
      createdAt: iso(item.created_at),
      updatedAt: iso(item.updated_at),
      resolution: item.resolution,
      resolvedBy: person(item.resolved_by),
      resolvedAt: isoOrNull(item.resolved_at),
    });
  }
  return out;
}

/** The author's record in the community: counts per action over a year, what is active, what comes next. */
async function summarize(deps: ModerationDeps, communityId: number, userId: number, now: number) {
  const history = await aq.historyOf(deps.db, communityId, userId, 200);
  const counts: Record<string, number> = {};
  for (const h of history) {
    if (h.revoked_at != null || h.created_at < now - 365 * DAY) continue;
    counts[h.kind] = (counts[h.kind] ?? 0) + 1;
  }
  const active = await aq.activeSanction(deps.db, communityId, userId, now);
  return {
    counts,
    activeSanction: active ? { kind: active.kind, expiresAt: isoOrNull(active.expires_at) } : null,
    suggested: await suggestNext(deps.db, communityId, userId, now),
  };
}
