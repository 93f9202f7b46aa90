import { type Page, request } from '../../lib/api.ts';

/** Direct messages API (server: modules/messaging). */
export interface Person {
  id: number;
  username: string;
  displayName: string;
}
export interface Message {
  id: number;
  conversationId: number;
  sender: Person;
  body?: string;
  bodyHtml: string;
  createdAt: string;
}
export interface Conversation {
  id: number;
  kind: 'direct' | 'group';
  title: string | null;
  members: Person[];
  lastMessage: Message | null;
  unreadCount: number;
  createdAt: string;
  lastMessageAt: string | null;
}
export type AllowFrom = 'everyone' | 'communities' | 'nobody';

export const messagingApi = {
  conversations: (cursor?: string | null) =>
    request<Page<Conversation>>(
      'GET',
      `/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  conversation: (id: number) => request<Conversation>('GET', `/conversations/${id}`),
  start: (body: { usernames: string[]; title?: string; body: string }) =>
    request<{ conversation: Conversation; message: Message }>('POST', '/conversations', body),
  messages: (id: number, cursor?: string | null) =>
    request<Page<Message>>(
      'GET',
      `/conversations/${id}/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  send: (id: number, body: string) => request<Message>('POST', `/conversations/${id}/messages`, { body }),
  read: (id: number) => request<{ ok: boolean }>('POST', `/conversations/${id}/read`),
  leave: (id: number) => request<{ ok: boolean }>('POST', `/conversations/${id}/leave`),
  report: (messageId: number, reason: string, note?: string) =>
    request<{ id: number }>('POST', `/messages/${messageId}/report`, { reason, ...(note && { note }) }),
  blocks: () => request<{ items: (Person & { blockedAt: string })[] }>('GET', '/blocks'),
  block: (username: string, on: boolean) =>
    request<{ ok: boolean }>(on ? 'POST' : 'DELETE', `/blocks/${encodeURIComponent(username)}`),
  settings: () => request<{ allowFrom: AllowFrom }>('GET', '/messaging/settings'),
  updateSettings: (allowFrom: AllowFrom) =>
    request<{ allowFrom: AllowFrom }>('PATCH', '/messaging/settings', { allowFrom }),
};
