import { type Page, request } from '../../lib/api.ts';

/** Notifications API (server: modules/notifications). */
export interface Notification {
  id: number;
  type: string;
  read: boolean;
  text: string;
  url: string;
  actor: { username: string; displayName: string } | null;
  actorCount: number;
  community: { slug: string; name: string } | null;
  thread: { id: number; title: string } | null;
  excerpt: string | null;
  createdAt: string;
  updatedAt: string;
}
export type Channel = 'off' | 'in_app' | 'email';
export type Digest = 'off' | 'daily' | 'weekly';
export interface Preferences {
  types: { type: string; label: string; channel: Channel }[];
  digest: Digest;
}

const qs = (q: Record<string, string | number | boolean | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const notificationsApi = {
  list: (q: { cursor?: string | null; limit?: number; unread?: boolean } = {}) =>
    request<Page<Notification> & { unreadCount: number }>(
      'GET',
      `/notifications${qs({ cursor: q.cursor ?? undefined, limit: q.limit, unread: q.unread || undefined })}`,
    ),
  unreadCount: () => request<{ unreadCount: number }>('GET', '/notifications/unread-count'),
  markRead: (body: { ids?: number[]; all?: boolean }) =>
    request<{ unreadCount: number }>('POST', '/notifications/read', body),
  preferences: () => request<Preferences>('GET', '/notifications/preferences'),
  updatePreferences: (body: { types?: Record<string, Channel>; digest?: Digest }) =>
    request<Preferences>('PATCH', '/notifications/preferences', body),
  unsubscribeInfo: (token: string) =>
    request<{ type: string; label: string; done: boolean }>(
      'GET',
      `/notifications/unsubscribe${qs({ token })}`,
    ),
  unsubscribe: (token: string) =>
    request<{ type: string; label: string; done: boolean }>(
      'POST',
      `/notifications/unsubscribe${qs({ token })}`,
    ),
  watching: (slug: string) =>
    request<{ watching: boolean }>('GET', `/communities/${encodeURIComponent(slug)}/watch`),
  watch: (slug: string, on: boolean) =>
    request<{ watching: boolean }>(on ? 'POST' : 'DELETE', `/communities/${encodeURIComponent(slug)}/watch`),
};
