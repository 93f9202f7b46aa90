import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { type Clock, iso, isoOrNull } from '../../platform/clock.ts';
import { decodeCursor, encodeCursor, page } from '../../platform/cursor.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { renderMarkdown } from '../content/content.markdown.ts';
import { addReport } from '../moderation/reports.service.ts';
import { directMessagesUnlocked } from '../moderation/trust.service.ts';
import * as q from './messaging.queries.ts';
import { type AllowFrom, type Conversation, MAX_GROUP, type Message } from './messaging.schema.ts';

/**
 * Direct messages: one-to-one conversations (one per pair) and small groups. Who may write to
 * whom: nobody writes to someone who blocked them or whom they blocked, and a member's
 * `allowFrom` (everyone / members of a community both are in / nobody; default: communities)
 * decides who may start a conversation with them. Members see no messages from people they
 * blocked. Conversations of others answer 404, like ones that do not exist.
 */
export interface MessagingDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

export const DEFAULT_ALLOW_FROM: AllowFrom = 'communities';

const presentMessage = (m: q.MessageRow): Message => ({
  id: m.id,
  conversationId: m.conversation_id,
  sender: { id: m.sender_id, username: m.username, displayName: m.display_name },
  body: m.body,
  bodyHtml: m.body_html,
  createdAt: iso(m.created_at),
});

/** Why `sender` may not start writing to `recipient`, or null when they may. */
async function refusal(db: Db, sender: Viewer, recipient: { id: number; username: string }) {
  const blocks = await q.blocksAmong(db, sender.userId, [recipient.id]);
  if (blocks.some((b) => b.blocker_id === sender.userId))
    return { code: 'BLOCKED' as const, message: `You blocked ${recipient.username}; unblock them to write` };
  // Same answer for "they blocked you" and "they accept no messages": a block is not revealed.
  const closed = {
    code: 'DM_NOT_ALLOWED' as const,
    message: `${recipient.username} does not accept messages from you`,
  };
  if (blocks.length) return closed;
  if (sender.isAdmin) return null;
  const allow = ((await q.allowFromOf(db, recipient.id)) as AllowFrom | undefined) ?? DEFAULT_ALLOW_FROM;
  if (allow === 'nobody') return closed;
  if (allow === 'communities' && !(await q.shareCommunity(db, sender.userId, recipient.id))) return closed;
  return null;
}

export async function startConversation(
  deps: MessagingDeps,
  viewer: Viewer,
  body: { usernames: string[]; title?: string; body: string },
) {
  const names = [...new Set(body.usernames.map((u) => u.toLowerCase()))].filter((u) => u !== viewer.username);
  if (names.length === 0) invalid('usernames', 'name at least one other member');
  if (names.length > MAX_GROUP - 1) invalid('usernames', `a group has at most ${MAX_GROUP} members`);
  const users = await q.findUsersByUsernames(deps.db, names);
  const missing = names.filter((n) => !users.some((u) => u.username === n));
  if (missing.length) fail('USER_NOT_FOUND', `No member ${missing.join(', ')}`);
  for (const u of users) {
    const why = await refusal(deps.db, viewer, u);
    if (why) fail(why.code, why.message);
  }
  const direct = users.length === 1;
  const now = deps.clock.now();
  const directKey = direct ? [viewer.userId, users[0]!.id].sort((a, b) => a - b).join(':') : null;
  const id = await deps.db.transaction().execute(async (trx) => {
    const existing = directKey ? await q.findDirect(trx, directKey) : undefined;
    if (existing) {
      // One conversation per pair: writing again (even after leaving it) goes on in the same one.
      // Leaving a one-to-one conversation only hides it: a new message brings both back.
      for (const uid of [viewer.userId, users[0]!.id]) {
        const m = await q.findMember(trx, existing.id, uid);
        if (m?.left_at != null) await q.rejoin(trx, existing.id, uid, now);
      }
      return existing.id;
    }
    // Starting a conversation is a trust level unlock (moderation); writing on in one is not.
    if (!viewer.isAdmin) {
      const dm = await directMessagesUnlocked(trx, viewer.userId);
      if (!dm.unlocked)
        fail(
          'TRUST_LEVEL_TOO_LOW',
          `Starting a conversation unlocks at trust level ${dm.needed ?? 1} in one of your communities: take part a little longer (read threads, reply). You can answer conversations others start.`,
        );
    }
    const cid = await q.insertConversation(trx, {
      kind: direct ? 'direct' : 'group',
      directKey,
      title: direct ? null : (body.title?.trim() ?? null),
      createdBy: viewer.userId,
      at: now,
    });
    await q.insertMembers(trx, cid, [viewer.userId, ...users.map((u) => u.id)], now);
    return cid;
  });
  const message = await sendMessage(deps, viewer, id, body.body);
  return { conversation: await getConversation(deps, viewer, id), message };
}

async function loadMembership(deps: MessagingDeps, viewer: Viewer, id: number) {
  const conversation = await q.findConversation(deps.db, id);
  const me = conversation ? await q.findMember(deps.db, id, viewer.userId) : undefined;
  if (!conversation || !me || me.left_at != null) fail('CONVERSATION_NOT_FOUND', `No conversation ${id}`);
  return { conversation, me };
}

export async function sendMessage(deps: MessagingDeps, viewer: Viewer, conversationId: number, text: string) {
  const { conversation } = await loadMembership(deps, viewer, conversationId);
  if (conversation.kind === 'direct') {
    // The other person may have left (hidden) it: a new message brings it back for them.
    const [a, b] = (conversation.direct_key ?? '').split(':').map(Number);
    const other = a === viewer.userId ? b : a;
    const m = other ? await q.findMember(deps.db, conversationId, other) : undefined;
    if (m?.left_at != null) await q.rejoin(deps.db, conversationId, other!, deps.clock.now());
  }
  const members = (await q.activeMembers(deps.db, [conversationId])).filter((m) => m.id !== viewer.userId);
  const blocks = await q.blocksAmong(
    deps.db,
    viewer.userId,
    members.map((m) => m.id),
  );
  if (conversation.kind === 'direct') {
    const other = members[0];
    if (!other) fail('DM_NOT_ALLOWED', 'Nobody else is left in this conversation');
    if (blocks.some((b) => b.blocker_id === viewer.userId))
      fail('BLOCKED', `You blocked ${other.username}; unblock them to write`);
    if (blocks.length) fail('DM_NOT_ALLOWED', `${other.username} does not accept messages from you`);
  }
  // In a group, whoever blocked the sender does not receive their messages.
  const blockedMe = new Set(blocks.filter((b) => b.blocked_id === viewer.userId).map((b) => b.blocker_id));
  const recipients = members.filter((m) => !blockedMe.has(m.id)).map((m) => m.id);
  const html = renderMarkdown(text).html;
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await q.insertMessage(trx, {
      conversationId,
      senderId: viewer.userId,
      body: text,
      bodyHtml: html,
      at: now,
    });
    // Sending reads everything before it.
    await q.markConversationRead(trx, conversationId, viewer.userId, row.id);
    const sender = (await q.findUsersByIds(trx, [viewer.userId]))[0]!;
    const message = presentMessage({ ...row, username: sender.username, display_name: sender.display_name });
    await deps.events.emit(trx, 'messaging.message_sent', {
      messageId: row.id,
      conversationId,
      senderId: viewer.userId,
      recipientIds: recipients,
      message: {
        id: message.id,
        conversationId,
        sender: message.sender,
        bodyHtml: message.bodyHtml,
        createdAt: message.createdAt,
      },
    });
    return message;
  });
}

async function presentConversations(
  deps: MessagingDeps,
  viewer: Viewer,
  rows: Awaited<ReturnType<typeof q.listConversations>>,
): Promise<Conversation[]> {
  const ids = rows.map((r) => r.id);
  const [members, unread, last] = await Promise.all([
    q.activeMembers(deps.db, ids),
    q.unreadCounts(deps.db, viewer.userId, ids),
    q.lastMessages(deps.db, ids),
  ]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    members: members
      .filter((m) => m.conversation_id === r.id)
      .map((m) => ({ id: m.id, username: m.username, displayName: m.display_name })),
    lastMessage: last.has(r.id) ? presentMessage(last.get(r.id)!) : null,
    unreadCount: unread.get(r.id) ?? 0,
    createdAt: iso(r.created_at),
    lastMessageAt: isoOrNull(r.last_message_at),
  }));
}

export async function listConversations(
  deps: MessagingDeps,
  viewer: Viewer,
  a: { cursor?: string; limit: number },
) {
  const after = decodeCursor(a.cursor, ['int', 'id']) as [number, number] | null;
  const rows = await q.listConversations(deps.db, viewer.userId, after, a.limit);
  const { items, nextCursor } = page(rows, a.limit, (r) => [Number(r.sort_at), r.id]);
  return { items: await presentConversations(deps, viewer, items), nextCursor };
}

export async function getConversation(deps: MessagingDeps, viewer: Viewer, id: number) {
  await loadMembership(deps, viewer, id);
  const rows = await q.listConversations(deps.db, viewer.userId, null, 1, id);
  return (await presentConversations(deps, viewer, rows.slice(0, 1)))[0]!;
}

export async function listMessages(
  deps: MessagingDeps,
  viewer: Viewer,
  id: number,
  a: { cursor?: string; limit: number },
) {
  await loadMembership(deps, viewer, id);
  const before = decodeCursor(a.cursor, ['id']);
  const rows = await q.listMessages(deps.db, {
    conversationId: id,
    viewerId: viewer.userId,
    beforeId: (before?.[0] as number | undefined) ?? null,
    limit: a.limit,
  });
  const more = rows.length > a.limit;
  const items = rows.slice(0, a.limit);
  return {
    items: items.map(presentMessage),
    nextCursor: more ? encodeCursor([items[items.length - 1]!.id]) : null,
  };
}

export async function markRead(deps: MessagingDeps, viewer: Viewer, id: number) {
  await loadMembership(deps, viewer, id);
  await inTransaction(deps, async (trx) => {
    await q.markConversationRead(trx, id, viewer.userId, await q.latestMessageId(trx, id));
    await deps.events.emit(trx, 'messaging.conversation_read', { userId: viewer.userId, conversationId: id });
  });
}

export async function leave(deps: MessagingDeps, viewer: Viewer, id: number) {
  await loadMembership(deps, viewer, id);
  await q.leaveConversation(deps.db, id, viewer.userId, deps.clock.now());
}

export async function block(deps: MessagingDeps, viewer: Viewer, username: string, on: boolean) {
  const user = await q.findUserByUsername(deps.db, username.toLowerCase());
  if (!user) fail('USER_NOT_FOUND', `No member ${username}`);
  if (user.id === viewer.userId) invalid('username', 'you cannot block yourself');
  if (!on) return void (await q.deleteBlock(deps.db, viewer.userId, user.id));
  await inTransaction(deps, async (trx) => {
    await q.insertBlock(trx, viewer.userId, user.id, deps.clock.now());
    await deps.events.emit(trx, 'messaging.user_blocked', { blockerId: viewer.userId, blockedId: user.id });
  });
}

export async function listBlocks(deps: MessagingDeps, viewer: Viewer) {
  const rows = await q.listBlocks(deps.db, viewer.userId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      blockedAt: iso(r.created_at),
    })),
  };
}

export async function getSettings(deps: MessagingDeps, viewer: Viewer) {
  return {
    allowFrom: ((await q.allowFromOf(deps.db, viewer.userId)) as AllowFrom | undefined) ?? DEFAULT_ALLOW_FROM,
  };
}

export async function updateSettings(deps: MessagingDeps, viewer: Viewer, allowFrom: AllowFrom) {
  await q.upsertAllowFrom(deps.db, viewer.userId, allowFrom);
  return { allowFrom };
}

/**
 * A participant reports a message to the site moderators' queue. What they see is what is
 * kept: a copy of the message (sender, time, words) goes with the report, so moderators
 * review that and nothing else of the conversation.
 */
export async function reportMessage(
  deps: MessagingDeps,
  viewer: Viewer,
  messageId: number,
  body: { reason: string; note?: string },
) {
  const m = await q.findMessage(deps.db, messageId);
  const me = m ? await q.findMember(deps.db, m.conversation_id, viewer.userId) : undefined;
  const hidden =
    m &&
    (await q.blocksAmong(deps.db, viewer.userId, [m.sender_id])).some((b) => b.blocker_id === viewer.userId);
  if (!m || !me || me.left_at != null || m.deleted_at != null || hidden)
    fail('MESSAGE_NOT_FOUND', `No message ${messageId}`);
  if (m.sender_id === viewer.userId) invalid('id', 'you cannot report your own message');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const { reportId, item } = await addReport(
      trx,
      deps.events,
      {
        type: 'message',
        id: m.id,
        communityId: null,
        scopeId: 0,
        targetUserId: m.sender_id,
        reporterId: viewer.userId,
        reason: body.reason,
        ruleNumber: null,
        guidelineVersion: null,
        note: body.note?.trim() ?? '',
        // Site reports weigh like a trust-level-0 member's (Discourse: 1 + TL); staff more.
        weight: viewer.isAdmin ? 5 : 1,
      },
      now,
    );
    await q.insertMessageReport(trx, {
      report_id: reportId,
      message_id: m.id,
      conversation_id: m.conversation_id,
      sender_id: m.sender_id,
      reporter_id: viewer.userId,
      body: m.body,
      sent_at: m.created_at,
    });
    return { id: reportId, itemId: item.id };
  });
}
