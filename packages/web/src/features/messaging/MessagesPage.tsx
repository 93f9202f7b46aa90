import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { useLive } from '../realtime/useLive.ts';
import { type Conversation, messagingApi } from './api.ts';

export const conversationName = (c: Conversation, meId: number) =>
  c.title ??
  c.members
    .filter((m) => m.id !== meId)
    .map((m) => m.displayName)
    .join(', ') ??
  'Conversation';

/** Conversations (latest first, unread counts kept live) and a form to write to someone. */
export function MessagesPage({ to }: { to?: string }) {
  useTitle('Messages');
  const { me, loading } = useSession();
  const list = useAsync(() => (me ? messagingApi.conversations() : Promise.resolve(null)), [me?.id]);
  useLive(me ? { topic: 'inbox' } : null, (e) => e.kind === 'message.created' && list.reload(), list.reload);
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="read your messages" />;
  return (
    <div className="stack messages-page">
      <h1>Messages</h1>
      <Compose initialTo={to ?? ''} />
      <section aria-labelledby="conv-h">
        <h2 id="conv-h">Conversations</h2>
        <ErrorMessage error={list.error} />
        {!list.data ? (
          <Loading lines={4} height="12rem" />
        ) : list.data.items.length === 0 ? (
          <p className="muted notice">No conversations yet.</p>
        ) : (
          <ul className="conversation-list">
            {list.data.items.map((c) => (
              <li key={c.id} className={c.unreadCount ? 'card conversation unread' : 'card conversation'}>
                <a href={`/messages/${c.id}`}>
                  <strong>{conversationName(c, me.id)}</strong>
                  {c.unreadCount > 0 && <span className="badge badge-accent">{c.unreadCount} new</span>}
                </a>
                {c.lastMessage && (
                  <p className="meta">
                    {c.lastMessage.sender.displayName}: {(c.lastMessage.body ?? '').slice(0, 80)} ·{' '}
                    {timeAgo(c.lastMessage.createdAt)}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Compose({ initialTo }: { initialTo: string }) {
  const [to, setTo] = useState(initialTo);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const names = to
    .split(/[\s,]+/)
    .map((s) => s.replace(/^@/, ''))
    .filter(Boolean);
  const send = useAction(async () => {
    const r = await messagingApi.start({
      usernames: names,
      body,
      ...(names.length > 1 && title && { title }),
    });
    navigate(`/messages/${r.conversation.id}`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.run();
  };
  return (
    <section className="card" aria-labelledby="compose-h">
      <h2 id="compose-h">New message</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="dm-to">To (usernames, separated by commas)</label>
          <input id="dm-to" value={to} onChange={(e) => setTo(e.target.value)} autoComplete="off" />
        </div>
        {names.length > 1 && (
          <div className="field">
            <label htmlFor="dm-title">Group name (optional)</label>
            <input id="dm-title" value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="dm-body">Message</label>
          <textarea id="dm-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        <ErrorMessage error={send.error} />
        <button type="submit" className="button" disabled={send.pending || !names.length || !body.trim()}>
          {send.pending ? 'Sending…' : 'Send'}
        </button>
      </form>
    </section>
  );
}
