import { type FormEvent, useEffect, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { Prose } from '../../components/Prose.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDate, timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { useLive } from '../realtime/useLive.ts';
import { type Message, messagingApi } from './api.ts';
import { conversationName } from './MessagesPage.tsx';

/** One conversation: messages (oldest at the top), new ones live, reply, block, report, leave. */
export function ConversationPage({ id }: { id: number }) {
  const { me, loading } = useSession();
  const conv = useAsync(() => (me ? messagingApi.conversation(id) : Promise.resolve(null)), [id, me?.id]);
  const msgs = useAsync(() => (me ? messagingApi.messages(id) : Promise.resolve(null)), [id, me?.id]);
  useTitle(conv.data && me ? conversationName(conv.data, me.id) : 'Messages');
  useLive(
    me ? { topic: 'inbox' } : null,
    (e) => {
      if (e.kind !== 'message.created' || e.data.conversationId !== id) return;
      const m = e.data.message as Message;
      msgs.setData((p) => (p && !p.items.some((x) => x.id === m.id) ? { ...p, items: [m, ...p.items] } : p!));
      void messagingApi.read(id).catch(() => {});
    },
    msgs.reload,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: mark read once the messages are shown
  useEffect(() => {
    if (msgs.data) void messagingApi.read(id).catch(() => {});
  }, [id, !!msgs.data]);

  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="read your messages" />;
  if (conv.error instanceof ApiError && conv.error.status === 404) return <NotFound what="conversation" />;
  if (conv.error) return <ErrorMessage error={conv.error} />;
  if (!conv.data || !msgs.data) return <Loading label="Loading conversation…" lines={6} height="24rem" />;
  const c = conv.data;
  const others = c.members.filter((m) => m.id !== me.id);
  const ordered = [...msgs.data.items].reverse();
  return (
    <div className="stack conversation-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href="/messages">Messages</a>
      </nav>
      <h1>{conversationName(c, me.id)}</h1>
      <p className="meta">
        With{' '}
        {others.map((o, i) => (
          <span key={o.id}>
            {i > 0 && ', '}
            <a href={`/u/${o.username}`}>{o.displayName}</a>
          </span>
        ))}
      </p>
      <ol className="messages" aria-label="Messages" aria-live="polite">
        {ordered.map((m) => (
          <MessageItem key={m.id} m={m} mine={m.sender.id === me.id} />
        ))}
      </ol>
      <Reply
        id={id}
        onSent={(m) =>
          msgs.setData((p) =>
            p && !p.items.some((x) => x.id === m.id) ? { ...p, items: [m, ...p.items] } : p!,
          )
        }
      />
      <ConversationActions id={id} kind={c.kind} other={others[0]?.username} />
    </div>
  );
}

function MessageItem({ m, mine }: { m: Message; mine: boolean }) {
  const [reporting, setReporting] = useState(false);
  const [reason, setReason] = useState('harassment');
  const report = useAction(async () => {
    await messagingApi.report(m.id, reason);
    setReporting(false);
  });
  return (
    <li className={mine ? 'message mine' : 'message'}>
      <p className="meta">
        <strong>{m.sender.displayName}</strong>{' '}
        <time dateTime={m.createdAt} title={formatDate(m.createdAt)}>
          {timeAgo(m.createdAt)}
        </time>
      </p>
      <Prose html={m.bodyHtml} />
      {!mine &&
        (reporting ? (
          <div className="inline-form">
            <label htmlFor={`reason-${m.id}`}>Why</label>
            <select id={`reason-${m.id}`} value={reason} onChange={(e) => setReason(e.target.value)}>
              <option value="harassment">Harassment</option>
              <option value="spam">Spam</option>
              <option value="hate">Hate</option>
              <option value="inappropriate">Inappropriate</option>
              <option value="other">Other</option>
            </select>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={report.pending}
              onClick={() => report.run()}
            >
              Report to moderators
            </button>
            <button type="button" className="link-button" onClick={() => setReporting(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="link-button small" onClick={() => setReporting(true)}>
            {report.pending ? '' : 'Report'}
          </button>
        ))}
      <ErrorMessage error={report.error} />
    </li>
  );
}

function Reply({ id, onSent }: { id: number; onSent: (m: Message) => void }) {
  const [body, setBody] = useState('');
  const send = useAction(async () => {
    onSent(await messagingApi.send(id, body));
    setBody('');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) send.run();
  };
  return (
    <form className="form reply-form" onSubmit={submit} noValidate>
      <label htmlFor="reply-body" className="visually-hidden">
        Your message
      </label>
      <textarea
        id="reply-body"
        rows={2}
        value={body}
        placeholder="Write a message"
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
        }}
      />
      <ErrorMessage error={send.error} />
      <button type="submit" className="button" disabled={send.pending || !body.trim()}>
        {send.pending ? 'Sending…' : 'Send'}
      </button>
    </form>
  );
}

function ConversationActions({ id, kind, other }: { id: number; kind: string; other?: string }) {
  const block = useAction(async () => {
    if (!other) return;
    await messagingApi.block(other, true);
    navigate('/messages');
  });
  const leave = useAction(async () => {
    await messagingApi.leave(id);
    navigate('/messages');
  });
  return (
    <div className="actions">
      {kind === 'direct' && other && (
        <button
          type="button"
          className="button button-danger button-small"
          disabled={block.pending}
          onClick={() =>
            window.confirm(`Block ${other}? Neither of you can write to the other.`) && block.run()
          }
        >
          Block {other}
        </button>
      )}
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={leave.pending}
        onClick={() => leave.run()}
      >
        Leave conversation
      </button>
      <ErrorMessage error={block.error ?? leave.error} />
    </div>
  );
}
