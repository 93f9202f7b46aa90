import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { DAY, iso } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import type { Events } from '../../platform/events.ts';
import { assertOwner } from '../../platform/permissions.ts';
import { loadCommunity, loadReadableTarget, type ModerationDeps } from './context.ts';
import * as mq from './moderation.queries.ts';
import { loadSettings, type ModerationSettings } from './settings.ts';
import * as q from './trust.queries.ts';
import { computeLevel, type TrustStats } from './trust.ts';

type Q = Db | Transaction<DB>;

/**
 * Recomputes one member's trust level from their activity and stores it (with the stats, so
 * members and moderators can see what is missing). Emits moderation.trust_level_changed.
 */
export async function recomputeTrust(
  db: Q,
  events: Events,
  communityId: number,
  userId: number,
  now: number,
  settings?: ModerationSettings,
) {
  const membership = await mq.findMembership(db, communityId, userId);
  if (membership?.status !== 'active') return null;
  const t = (settings ?? (await loadSettings(db, communityId))).trust;
  const stats = await q.gatherStats(db, communityId, userId, now - t.tl3.periodDays * DAY);
  const row = await q.findTrust(db, communityId, userId);
  const current = {
    level: row?.level ?? 0,
    manualLevel: row?.manual_level ?? null,
    promotedAt: row?.promoted_at ?? now,
  };
  const level = computeLevel(stats, t, current, now);
  await q.saveComputed(db, {
    communityId,
    userId,
    level,
    promotedAt: level !== current.level ? now : current.promotedAt,
    stats: JSON.stringify(stats),
    now,
  });
  if (level !== current.level) {
    await events.emit(db, 'moderation.trust_level_changed', {
      communityId,
      userId,
      from: current.level,
      to: level,
    });
  }
  return { level, stats };
}

/**
 * POST /threads/{id}/read: the web app reports reading while a thread is on screen (at most
 * about once a minute). Reading time is credited up to the wall-clock time since the member's
 * previous report (and 2 minutes per report), so it cannot be inflated by sending large numbers
 * or reading two tabs at once; posts read are capped by the posts the thread has.
 */
export async function recordReading(
  deps: ModerationDeps,
  threadId: number,
  viewer: Viewer,
  body: { ms: number; postsRead: number },
) {
  const { target, access } = await loadReadableTarget(deps.db, 'thread', threadId, viewer);
  const thread = (await mq.findThreadTarget(deps.db, threadId))!;
  const now = deps.clock.now();
  const last = await q.lastReadAt(deps.db, viewer.userId);
  const credited = Math.max(0, Math.min(body.ms, 120_000, last == null ? 120_000 : now - last));
  const posts = Math.min(body.postsRead, thread.comment_count + 1);
  await deps.db.transaction().execute(async (trx) => {
    await q.recordRead(trx, {
      userId: viewer.userId,
      threadId,
      communityId: target.communityId!,
      postsRead: posts,
      ms: credited,
      now,
    });
    await q.markVisit(trx, target.communityId!, viewer.userId, now);
    if (access?.isMember) await recomputeTrust(trx, deps.events, target.communityId!, viewer.userId, now);
  });
  deps.events.kick();
  return { creditedMs: credited, postsRead: posts };
}

const presentStats = (s: TrustStats) => ({ ...s, minutesRead: Math.floor(s.msRead / 60_000) });

/** A member's trust level in a community, with the numbers behind it and what it unlocks. */
export async function getMemberTrust(
  deps: ModerationDeps,
  slug: string,
  username: string,
  viewer: Viewer | null,
) {
  const { community, access } = await loadCommunity(deps.db, slug, viewer);
  const user = await mq.findUserByName(deps.db, username);
  const m = user && (await mq.findMembership(deps.db, community.id, user.id));
  if (!user || m?.status !== 'active') fail('USER_NOT_FOUND', `No member "${username}"`);
  const settings = await loadSettings(deps.db, community.id);
  const computed = await recomputeTrust(
    deps.db,
    deps.events,
    community.id,
    user.id,
    deps.clock.now(),
    settings,
  );
  deps.events.kick();
  const row = (await q.findTrust(deps.db, community.id, user.id))!;
  // The numbers behind the level are the member's own business and their moderators'.
  const mayRead = viewer?.userId === user.id || access.isModerator;
  return {
    username: user.username,
    level: row.level,
    manual: row.manual_level != null,
    since: iso(row.promoted_at),
    unlocks: unlocksAt(row.level, settings),
    stats: mayRead && computed ? presentStats(computed.stats) : null,
  };
}

/** What a trust level unlocks in a community (settings.unlocks; moderators have everything). */
export function unlocksAt(level: number, s: ModerationSettings) {
  const u = s.unlocks;
  const newMember = level < u.newMemberBelow;
  return {
    maxLinksPerPost: newMember ? u.maxLinksNewMember : null,
    maxImagesPerPost: newMember ? u.maxImagesNewMember : null,
    maxMentionsPerPost: newMember ? u.maxMentionsNewMember : null,
    maxPostsPerHour: newMember ? u.postsPerHourNewMember : null,
    directMessages: level >= u.directMessages,
    editWikiPosts: level >= u.editWikiPosts,
    writeContextNotes: level >= u.writeContextNotes,
    rateContextNotes: level >= u.rateContextNotes,
    flagWeight: 1 + level,
  };
}

/** Owners pin a level (TL4 can only be given this way) or hand it back to the computation (null). */
export async function setManualLevel(
  deps: ModerationDeps,
  slug: string,
  username: string,
  viewer: Viewer,
  level: number | null,
) {
  const { community, access } = await loadCommunity(deps.db, slug, viewer, 'see');
  assertOwner(access);
  const user = await mq.findUserByName(deps.db, username);
  const m = user && (await mq.findMembership(deps.db, community.id, user.id));
  if (!user || m?.status !== 'active') fail('USER_NOT_FOUND', `No member "${username}"`);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    // Handing back (null) starts the computation afresh: a pinned level is no earned TL3 to keep.
    await q.saveManual(trx, { communityId: community.id, userId: user.id, manual: level, now });
    await recomputeTrust(trx, deps.events, community.id, user.id, now);
  });
  deps.events.kick();
  return getMemberTrust(deps, slug, username, viewer);
}

/**
 * Whether a member may start direct messages. DMs are site-wide, so they unlock when any
 * community the member is active in trusts them enough (`unlocks.directMessages`, trust level 1
 * by default, as Discourse's `min_trust_to_send_messages`). `needed`: the lowest level asked
 * for among their communities, for the error message.
 */
export async function directMessagesUnlocked(
  db: Db | Transaction<DB>,
  userId: number,
): Promise<{ unlocked: boolean; needed: number | null }> {
  let needed: number | null = null;
  for (const r of await q.activeLevelsOfUser(db, userId)) {
    const threshold = (await loadSettings(db, r.community_id)).unlocks.directMessages;
    if ((r.level ?? 0) >= threshold) return { unlocked: true, needed: threshold };
    needed = needed == null ? threshold : Math.min(needed, threshold);
  }
  return { unlocked: false, needed };
}

/**
 * The viewer's levels everywhere. Direct messages are site-wide, so they unlock when any of
 * the viewer's communities trusts them enough (site admins always may).
 */
export async function myTrust(deps: ModerationDeps, viewer: Viewer) {
  const rows = await q.levelsOfUser(deps.db, viewer.userId);
  const items = [];
  for (const r of rows) {
    const settings = await loadSettings(deps.db, r.community_id);
    items.push({ community: r.slug, level: r.level, unlocks: unlocksAt(r.level, settings) });
  }
  const directMessages = viewer.isAdmin || (await directMessagesUnlocked(deps.db, viewer.userId)).unlocked;
  return { items, directMessages };
}

/** Daily job: levels that change with time alone (the TL3 window sliding, grace periods ending). */
export async function recomputeAll(deps: ModerationDeps) {
  const now = deps.clock.now();
  const members = await q.membersToRecompute(deps.db, now - 100 * DAY);
  let changed = 0;
  for (const m of members) {
    await deps.db.transaction().execute(async (trx) => {
      const before = await q.levelOf(trx, m.community_id, m.user_id);
      const r = await recomputeTrust(trx, deps.events, m.community_id, m.user_id, now);
      if (r && r.level !== before) changed++;
    });
  }
  deps.events.kick();
  return { members: members.length, changed };
}
