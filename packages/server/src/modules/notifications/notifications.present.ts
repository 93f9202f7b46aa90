import { iso } from '../../platform/clock.ts';
import type { NotificationRow } from './notifications.queries.ts';
import type { Notification } from './notifications.schema.ts';

/**
 * Notifications as the inbox, live events and emails show them. Words of the content (thread
 * titles, comment excerpts) are read now, under the visibility filter of the query, never
 * copied when the notification was made: an edited or deleted comment shows what it is now.
 */
export function presentNotification(r: NotificationRow): Notification {
  const data = JSON.parse(r.data) as NotificationData;
  const actor = r.actor_username ? { username: r.actor_username, displayName: r.actor_display_name! } : null;
  const thread =
    r.thread_id != null && r.thread_title != null ? { id: r.thread_id, title: r.thread_title } : null;
  const community =
    r.community_slug != null ? { slug: r.community_slug, name: r.community_name! } : (data.community ?? null);
  const readable = r.comment_body != null && r.comment_deleted_at == null && r.comment_status === 'visible';
  return {
    id: r.id,
    type: r.type,
    read: r.read_at != null,
    text: describe(r.type, {
      actor: actor?.displayName ?? 'Someone',
      count: r.actor_count,
      thread,
      community,
      data,
    }),
    url: urlOf(r, data),
    actor,
    actorCount: r.actor_count,
    community,
    thread,
    excerpt: readable ? excerpt(r.comment_body!) : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export interface NotificationData {
  actors?: number[];
  kind?: string;
  reason?: string;
  tags?: string[];
  conversationId?: number;
  community?: { slug: string; name: string };
  targetType?: string;
  event?: { id: number; title: string; startsAt: number; timeZone: string };
  badge?: { id: number; name: string; tier: string };
}

/** "Sat 14 Mar, 18:30" in the event's own time zone. */
function when(ev: { startsAt: number; timeZone: string }): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: ev.timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(ev.startsAt);
  } catch {
    return new Date(ev.startsAt).toISOString();
  }
}

const excerpt = (s: string, n = 160) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

const quoted = (thread: { title: string } | null) => (thread ? ` in “${thread.title}”` : '');

/** One sentence per type (step 3 of adding a type: see notifications.types.ts). */
export function describe(
  type: string,
  c: {
    actor: string;
    count: number;
    thread: { title: string } | null;
    community: { name: string } | null;
    data: NotificationData;
  },
): string {
  const others = c.count > 1 ? ` and ${c.count - 1} other${c.count > 2 ? 's' : ''}` : '';
  switch (type) {
    case 'reply':
      return `${c.actor} replied to your ${c.data.targetType === 'thread' ? 'thread' : 'comment'}${quoted(c.thread)}`;
    case 'mention':
      return `${c.actor} mentioned you${quoted(c.thread)}`;
    case 'reaction':
      return `${c.actor}${others} reacted to your ${c.data.targetType === 'thread' ? 'thread' : 'comment'}${quoted(c.thread)}`;
    case 'watched_community':
      return `${c.actor} started “${c.thread?.title ?? 'a thread'}” in ${c.community?.name ?? 'a community you watch'}`;
    case 'followed_tag':
      return `New thread tagged ${(c.data.tags ?? []).map((t) => `#${t}`).join(' ')}: “${c.thread?.title ?? ''}”`;
    case 'dm':
      return c.count > 1 ? `${c.count} new messages from ${c.actor}` : `New message from ${c.actor}`;
    case 'moderation': {
      const where = c.community ? ` in ${c.community.name}` : '';
      const reason = c.data.reason ? `: ${c.data.reason}` : '';
      return `A moderator took action (${c.data.kind ?? 'review'})${where}${reason}`;
    }
    case 'follower':
      return `${c.actor} followed you`;
    case 'event': {
      const ev = c.data.event;
      const title = ev ? `“${ev.title}”` : 'An event';
      const at = ev ? ` (${when(ev)})` : '';
      if (c.data.kind === 'reminder_1h') return `${title} starts within the hour${at}`;
      if (c.data.kind === 'reminder_24h') return `${title} is tomorrow${at}`;
      if (c.data.kind === 'promoted') return `A place freed up: you are going to ${title}${at}`;
      return `${title}${at} was cancelled`;
    }
    case 'badge': {
      const b = c.data.badge;
      const tier = b?.tier ? `${b.tier} ` : '';
      return `You earned the ${tier}badge “${b?.name ?? ''}”${c.community ? ` in ${c.community.name}` : ''}`;
    }
    default:
      return `${c.actor}: ${type}`;
  }
}

function urlOf(r: NotificationRow, data: NotificationData): string {
  if (r.type === 'dm' && data.conversationId) return `/messages/${data.conversationId}`;
  if (r.type === 'follower' && r.actor_username) return `/u/${r.actor_username}`;
  if (r.thread_id != null && r.community_slug) {
    const anchor = r.target_type === 'comment' ? `#comment-${r.target_id}` : '';
    return `/c/${r.community_slug}/t/${r.thread_id}${anchor}`;
  }
  if (r.type === 'event' && data.event && r.community_slug)
    return `/c/${r.community_slug}/e/${data.event.id}`;
  if (r.type === 'badge' && r.community_slug) return `/c/${r.community_slug}/leaderboard`;
  if (r.type === 'moderation') return '/settings';
  return '/notifications';
}
