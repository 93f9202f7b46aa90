import type { Viewer } from '../../platform/auth.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import * as aq from './actions.queries.ts';
import { suggestNext } from './actions.service.ts';
import { loadCommunity, loadModeratedCommunity, type ModerationDeps } from './context.ts';
import { ruleTexts } from './guidelines.service.ts';
import * as mq from './moderation.queries.ts';
import { loadSettings } from './settings.ts';

const rule = (texts: Map<string, string>, version: number | null, number: number | null) =>
  version == null || number == null
    ? null
    : { number, version, text: texts.get(`${version}:${number}`) ?? null };

/**
 * The public moderation log of a community: what was done, when, to whom, citing which rule.
 * Anyone who can read the community sees it (members only for a private one). Moderator names
 * show unless the community hides them (settings.modlogShowModerators); moderators always see
 * them. The words of removed content never appear here.
 */
export async function modlog(
  deps: ModerationDeps,
  slug: string,
  viewer: Viewer | null,
  query: { cursor?: string; limit: number },
) {
  const { community, access } = await loadCommunity(deps.db, slug, viewer);
  const settings = await loadSettings(deps.db, community.id);
  const showModerators = settings.modlogShowModerators || access.isModerator;
  const after = decodeCursor(query.cursor, ['id']);
  const rows = await aq.listLog(deps.db, community.id, (after?.[0] as number) ?? null, query.limit);
  const { items, nextCursor } = page(rows, query.limit, (r) => [r.id]);
  const users = await mq.usersByIds(
    deps.db,
    items.flatMap((r) => [r.target_user_id ?? 0, r.moderator_id ?? 0]),
  );
  const texts = await ruleTexts(deps.db, community.id);
  return {
    moderatorsShown: showModerators,
    items: items.map((r) => ({
      id: r.id,
      action: r.kind,
      createdAt: iso(r.created_at),
      expiresAt: r.kind === 'mute' || r.kind === 'ban' ? isoOrNull(r.expires_at) : null,
      revoked: r.revoked_at != null,
      reason: r.reason,
      rule: rule(texts, r.guideline_version, r.rule_number),
      target: r.target_type ? { type: r.target_type, id: r.target_id } : null,
      member: r.target_user_id == null ? null : (users.get(r.target_user_id)?.username ?? null),
      moderator:
        showModerators && r.moderator_id != null ? (users.get(r.moderator_id)?.username ?? null) : null,
    })),
    nextCursor,
  };
}

/** What moderation did to the viewer or their content (with the reasons), and their appeals. */
export async function myModeration(
  deps: ModerationDeps,
  viewer: Viewer,
  query: { cursor?: string; limit: number },
) {
  const after = decodeCursor(query.cursor, ['id']);
  const rows = await aq.actionsAgainst(deps.db, viewer.userId, (after?.[0] as number) ?? null, query.limit);
  const { items, nextCursor } = page(rows, query.limit, (r) => [r.id]);
  const now = deps.clock.now();
  const communities = new Map<number, { slug: string; name: string }>();
  for (const id of new Set(items.map((r) => r.community_id).filter((c): c is number => c != null))) {
    const c = await mq.findCommunityById(deps.db, id);
    if (c) communities.set(id, c);
  }
  const texts = new Map<number, Map<string, string>>();
  for (const id of communities.keys()) texts.set(id, await ruleTexts(deps.db, id));
  return {
    items: items.map((r) => ({
      id: r.id,
      action: r.kind,
      community: r.community_id == null ? null : (communities.get(r.community_id)?.slug ?? null),
      reason: r.reason,
      rule:
        r.community_id == null ? null : rule(texts.get(r.community_id)!, r.guideline_version, r.rule_number),
      target: r.target_type ? { type: r.target_type, id: r.target_id } : null,
      createdAt: iso(r.created_at),
      expiresAt: r.kind === 'warn' ? null : isoOrNull(r.expires_at),
      active:
        ['mute', 'ban', 'suspend'].includes(r.kind) &&
        r.revoked_at == null &&
        (r.expires_at == null || r.expires_at > now),
      revoked: r.revoked_at != null,
      appeal: r.appeal_id == null ? null : { id: r.appeal_id, status: r.appeal_status },
    })),
    nextCursor,
  };
}

/** A member's moderation history in a community and the ladder's next step (moderators). */
export async function memberRecord(deps: ModerationDeps, slug: string, username: string, viewer: Viewer) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  const user = await mq.findUserByName(deps.db, username);
  if (!user) fail('USER_NOT_FOUND', `No user "${username}"`);
  const now = deps.clock.now();
  const history = await aq.historyOf(deps.db, community.id, user.id, 50);
  const active = await aq.activeSanction(deps.db, community.id, user.id, now);
  const texts = await ruleTexts(deps.db, community.id);
  const mods = await mq.usersByIds(
    deps.db,
    history.map((h) => h.moderator_id ?? 0),
  );
  return {
    username: user.username,
    activeSanction: active
      ? { id: active.id, kind: active.kind, expiresAt: isoOrNull(active.expires_at) }
      : null,
    suggested: await suggestNext(deps.db, community.id, user.id, now),
    history: history.map((h) => ({
      id: h.id,
      action: h.kind,
      reason: h.reason,
      rule: rule(texts, h.guideline_version, h.rule_number),
      moderator: h.moderator_id == null ? null : (mods.get(h.moderator_id)?.username ?? null),
      createdAt: iso(h.created_at),
      expiresAt: isoOrNull(h.expires_at),
      revoked: h.revoked_at != null,
    })),
  };
}
