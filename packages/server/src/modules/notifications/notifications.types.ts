/**
 * The notification types. Adding one (e.g. for another module's event) is:
 *   1. an entry here (label and default channel);
 *   2. a handler in notifications.events.ts that calls `notify(...)` for that module's event;
 *   3. a sentence for it in notifications.present.ts (`describe`).
 * Preferences, the inbox, live delivery, emails, digests and unsubscribe links follow.
 *
 * Channels: `off` (nothing), `in_app` (the inbox, and digests), `email` (the inbox, plus an
 * email right away when the member is away: no live connection and no request for 5 minutes).
 */
export const NOTIFICATION_TYPES = {
  reply: { label: 'Replies to your threads and comments', default: 'in_app' },
  mention: { label: 'Mentions of you', default: 'email' },
  reaction: { label: 'Reactions to your posts (batched)', default: 'in_app' },
  watched_community: { label: 'New threads in communities you watch', default: 'in_app' },
  followed_tag: { label: 'New threads with tags you follow', default: 'in_app' },
  dm: { label: 'Direct messages', default: 'email' },
  moderation: { label: "Moderators' actions on your content", default: 'in_app' },
  follower: { label: 'New followers', default: 'in_app' },
  event: { label: 'Reminders, waitlist places and cancellations of events you answered', default: 'email' },
  badge: { label: 'Badges you earn', default: 'in_app' },
} as const satisfies Record<string, { label: string; default: Channel }>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;
export const TYPE_NAMES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];
export const CHANNELS = ['off', 'in_app', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DIGESTS = ['off', 'daily', 'weekly'] as const;
export type Digest = (typeof DIGESTS)[number];

/** A member with no request and no live connection for this long is "away" (immediate emails). */
export const AWAY_MS = 5 * 60_000;
