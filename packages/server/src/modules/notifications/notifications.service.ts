import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { sha256 } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { decodeCursor, page } from '../../platform/cursor.ts';
import { fail } from '../../platform/errors.ts';
import { type Events, type HandlerContext, inTransaction } from '../../platform/events.ts';
import type { Mailer } from '../../platform/mail.ts';
import { communityAccess } from '../../platform/permissions.ts';
import { immediateEmail } from './notifications.mail.ts';
import type { NotificationData } from './notifications.present.ts';
import { presentNotification } from './notifications.present.ts';
import * as q from './notifications.queries.ts';
import type { UpdatePreferencesBody } from './notifications.schema.ts';
import {
  AWAY_MS,
  type Channel,
  type Digest,
  NOTIFICATION_TYPES,
  type NotificationType,
  TYPE_NAMES,
} from './notifications.types.ts';

export interface NotificationDeps {
  db: Db;
  events: Events;
  clock: Clock;
  mail: Mailer;
  publicUrl: string;
}

export async function channelOf(db: HandlerContext['db'] | Db, userId: number, type: NotificationType) {
  const pref = await q.findPref(db, userId, type);
  return (pref?.channel as Channel | undefined) ?? NOTIFICATION_TYPES[type].default;
}

export interface Notify {
  userId: number;
  type: NotificationType;
  actorId: number | null;
  communityId?: number | null;
  threadId?: number | null;
  target?: { type: string; id: number } | null;
  /** Unread notifications with the same key merge into one (count and latest actor). */
  groupKey?: string | null;
  data?: NotificationData;
}

/**
 * Creates (or, for a group, bumps) one notification inside an outbox handler's transaction,
 * after the checks that keep it honest: the member's preference for the type, never to the
 * actor themself, and only about what the member may read now (a private community they are
 * not in, a deleted or held thread: nothing). Announces it (`notifications.created`) and
 * queues an email when the preference says email and the member is away.
 */
export async function notify(deps: NotificationDeps, ctx: HandlerContext, n: Notify): Promise<void> {
  const db = ctx.db;
  if (n.actorId != null && n.actorId === n.userId) return;
  const channel = await channelOf(db, n.userId, n.type);
  if (channel === 'off') return;
  if (n.communityId != null && !(await q.canRead(db, n.communityId, n.userId))) return;
  if (n.threadId != null) {
    const t = await q.findThreadRef(db, n.threadId);
    if (!t || t.deleted_at != null || t.status !== 'visible') return;
  }
  const at = ctx.occurredAt;
  const open = n.groupKey ? await q.findOpenGroup(db, n.userId, n.groupKey) : undefined;
  let id: number;
  if (open) {
    const data = JSON.parse(open.data) as NotificationData;
    const actors = data.actors ?? [];
    const fresh = n.actorId != null && !actors.includes(n.actorId);
    const merged = { ...data, ...n.data, actors: fresh ? [n.actorId!, ...actors].slice(0, 20) : actors };
    await q.bumpNotification(db, open.id, {
      actorId: n.actorId,
      actorCount: open.actor_count + (fresh || n.type === 'dm' ? 1 : 0),
      data: JSON.stringify(merged),
      at,
    });
    id = open.id;
  } else {
    id = await q.insertNotification(db, {
      userId: n.userId,
      type: n.type,
      communityId: n.communityId ?? null,
      threadId: n.threadId ?? null,
      targetType: n.target?.type ?? null,
      targetId: n.target?.id ?? null,
      actorId: n.actorId,
      groupKey: n.groupKey ?? null,
      data: { ...n.data, actors: n.actorId != null ? [n.actorId] : [] },
      at,
    });
  }
  const [row] = await q.listNotifications(db, n.userId, { after: null, limit: 1, ids: [id] });
  if (!row) return;
  const notification = presentNotification(row);
  await deps.events.emit(db, 'notifications.created', {
    notificationId: id,
    userId: n.userId,
    type: n.type,
    grouped: !!open,
    notification,
    unreadCount: await q.countUnread(db, n.userId),
  });
  ctx.afterCommit(() => deps.events.kick());
  // One email per notification: a reaction or message joining an unread group sends none.
  if (!open && channel === 'email' && at - (await q.lastActive(db, n.userId)) >= AWAY_MS) {
    const user = await q.findUser(db, n.userId);
    if (!user) return;
    await deps.mail.enqueue(db, await immediateEmail(deps, db, user, n.type, notification));
    await q.markEmailed(db, [id], at);
    ctx.afterCommit(() => deps.mail.kick());
  }
}

export async function listInbox(
  deps: NotificationDeps,
  viewer: Viewer,
  a: { cursor?: string; limit: number; unread?: boolean },
) {
  const after = decodeCursor(a.cursor, ['int', 'id']) as [number, number] | null;
  const rows = await q.listNotifications(deps.db, viewer.userId, { after, limit: a.limit, unread: a.unread });
  const { items, nextCursor } = page(rows, a.limit, (r) => [r.updated_at, r.id]);
  return {
    items: items.map(presentNotification),
    nextCursor,
    unreadCount: await q.countUnread(deps.db, viewer.userId),
  };
}

export const unreadCount = async (deps: NotificationDeps, viewer: Viewer) => ({
  unreadCount: await q.countUnread(deps.db, viewer.userId),
});

export async function markRead(
  deps: NotificationDeps,
  viewer: Viewer,
  body: { ids?: number[]; all?: boolean },
) {
  if (!body.all && !body.ids) fail('VALIDATION_FAILED', 'body: send ids or all: true', { field: 'body.ids' });
  return inTransaction(deps, async (trx) => {
    const ids = await q.markRead(trx, viewer.userId, body.all ? null : body.ids!, deps.clock.now());
    const count = await q.countUnread(trx, viewer.userId);
    if (ids.length)
      await deps.events.emit(trx, 'notifications.read', { userId: viewer.userId, ids, unreadCount: count });
    return { unreadCount: count };
  });
}

export async function getPreferences(deps: Pick<NotificationDeps, 'db'>, userId: number) {
  const rows = new Map((await q.listPrefs(deps.db, userId)).map((r) => [r.type, r.channel as Channel]));
  const settings = await q.findSettings(deps.db, userId);
  return {
    types: TYPE_NAMES.map((type) => ({
      type,
      label: NOTIFICATION_TYPES[type].label,
      channel: rows.get(type) ?? NOTIFICATION_TYPES[type].default,
    })),
    digest: (settings?.digest as Digest | undefined) ?? 'off',
  };
}

export async function updatePreferences(deps: NotificationDeps, viewer: Viewer, body: UpdatePreferencesBody) {
  await deps.db.transaction().execute(async (trx) => {
    for (const [type, channel] of Object.entries(body.types ?? {})) {
      if (channel) await q.upsertPref(trx, viewer.userId, type, channel);
    }
    if (body.digest) {
      const current = await q.findSettings(trx, viewer.userId);
      // A new choice starts its period now: the first digest covers from here on.
      const since =
        current?.digest === body.digest ? (current.last_digest_at ?? deps.clock.now()) : deps.clock.now();
      await q.upsertDigest(trx, viewer.userId, body.digest, since);
    }
  });
  return getPreferences(deps, viewer.userId);
}

/** Watching a community: a notification for each new thread there. Readers only. */
async function readableCommunity(deps: NotificationDeps, slug: string, viewer: Viewer) {
  const c = await q.findCommunityBySlug(deps.db, slug);
  if (!c || !(await communityAccess(deps.db, c, viewer)).canRead)
    fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  return c;
}

export async function watchState(deps: NotificationDeps, slug: string, viewer: Viewer) {
  const c = await readableCommunity(deps, slug, viewer);
  return { watching: !!(await q.findWatch(deps.db, viewer.userId, c.id)) };
}

export async function setWatch(deps: NotificationDeps, slug: string, viewer: Viewer, on: boolean) {
  const c = await readableCommunity(deps, slug, viewer);
  if (on) await q.insertWatch(deps.db, viewer.userId, c.id, deps.clock.now());
  else await q.deleteWatch(deps.db, viewer.userId, c.id);
  return { watching: on };
}

/** One-click unsubscribe (RFC 8058): the token names one member and one type (or the digest). */
export async function unsubscribe(deps: NotificationDeps, token: string, apply: boolean) {
  const row = await q.findUnsubscribeToken(deps.db, sha256(token));
  if (!row) fail('INVALID_UNSUBSCRIBE_TOKEN', 'This unsubscribe link is not valid');
  const label =
    row.type === 'digest'
      ? 'Digest emails'
      : (NOTIFICATION_TYPES[row.type as NotificationType]?.label ?? row.type);
  if (apply) {
    if (row.type === 'digest') await q.upsertDigest(deps.db, row.user_id, 'off', deps.clock.now());
    else {
      // Unsubscribing stops the emails; the inbox keeps them (set "off" in settings to stop those).
      const current = await channelOf(deps.db, row.user_id, row.type as NotificationType);
      if (current === 'email') await q.upsertPref(deps.db, row.user_id, row.type, 'in_app');
    }
  }
  return { type: row.type, label, done: apply };
}
