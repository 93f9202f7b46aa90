import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { type ContextNote, type Helpful, modApi } from './api.ts';

const RATINGS: [Helpful, string][] = [
  ['yes', 'Helpful'],
  ['somewhat', 'Somewhat'],
  ['no', 'Not helpful'],
];
const VALUE: Record<Helpful, number> = { yes: 1, somewhat: 0.5, no: 0 };

export interface NotesCtx {
  notes: ContextNote[];
  /** May write notes here: trust level (settings.unlocks.writeContextNotes) or moderator. */
  canWrite: boolean;
  isModerator: boolean;
  replace: (n: ContextNote) => void;
  add: (n: ContextNote) => void;
  remove: (id: number) => void;
}

/**
 * Context notes under a thread or a comment. A note is shown to every reader only once the
 * server's bridging model rates it Helpful (members who usually disagree both found it
 * helpful); until then raters see it here to rate it, and its author sees it waiting.
 */
export function NotesFor({
  ctx,
  targetType,
  targetId,
  authorId,
}: {
  ctx: NotesCtx;
  targetType: 'thread' | 'comment';
  targetId: number;
  /** Who wrote the post: context on your own words is for others to add. */
  authorId?: number;
}) {
  const { me } = useSession();
  const mine = ctx.notes.filter((n) => n.targetType === targetType && n.targetId === targetId);
  const shown = mine.filter((n) => n.shown);
  const pending = mine.filter((n) => !n.shown);
  const wrote = me ? mine.some((n) => n.author === me.username) : false;
  const [writing, setWriting] = useState(false);
  const mayWrite = ctx.canWrite && !wrote && me?.id !== authorId;
  if (!mine.length && !mayWrite) return null;
  return (
    <div className="notes">
      {shown.map((n) => (
        <aside key={n.id} className="context-note shown" aria-label="Context added by readers">
          <p className="note-title">Readers added context</p>
          <NoteBody n={n} ctx={ctx} />
        </aside>
      ))}
      {pending.map((n) => (
        <aside key={n.id} className="context-note pending" aria-label="Context note needing ratings">
          <p className="note-title">
            {n.author === me?.username ? 'Your note: waiting for ratings' : 'A note needs your rating'}
            <span className="muted small"> · not shown to readers yet</span>
          </p>
          <NoteBody n={n} ctx={ctx} />
        </aside>
      ))}
      {mayWrite && !writing && (
        <button type="button" className="link-button small" onClick={() => setWriting(true)}>
          Add context
        </button>
      )}
      {writing && (
        <WriteNote
          targetType={targetType}
          targetId={targetId}
          onDone={(n) => {
            if (n) ctx.add(n);
            setWriting(false);
          }}
        />
      )}
    </div>
  );
}

function NoteBody({ n, ctx }: { n: ContextNote; ctx: NotesCtx }) {
  const { me } = useSession();
  const rate = useAction(async (h: Helpful) => {
    await modApi.rateNote(n.id, h);
    ctx.replace({ ...n, myRating: VALUE[h] });
  });
  const del = useAction(async () => {
    await modApi.deleteNote(n.id);
    ctx.remove(n.id);
  });
  const isAuthor = me?.username === n.author;
  return (
    <>
      <p className="pre-wrap">{n.body}</p>
      <p className="meta">
        {n.author && <span>by @{n.author}</span>}
        <span>{timeAgo(n.createdAt)}</span>
        <span>{n.ratingCount} ratings</span>
      </p>
      {n.canRate && (
        // biome-ignore lint/a11y/useSemanticElements: a group of three toggle buttons, not a form fieldset
        <div className="row note-rating" role="group" aria-label="Is this note helpful?">
          <span className="small muted">Is this helpful?</span>
          {RATINGS.map(([h, label]) => (
            <button
              key={h}
              type="button"
              className="button button-secondary button-small"
              aria-pressed={n.myRating === VALUE[h]}
              disabled={rate.pending}
              onClick={() => rate.run(h)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      {(isAuthor || ctx.isModerator) && (
        <button
          type="button"
          className="link-button danger small"
          disabled={del.pending}
          onClick={() => {
            if (window.confirm('Delete this note?')) del.run();
          }}
        >
          Delete note
        </button>
      )}
      <ErrorMessage error={rate.error ?? del.error} />
    </>
  );
}

function WriteNote({
  targetType,
  targetId,
  onDone,
}: {
  targetType: 'thread' | 'comment';
  targetId: number;
  onDone: (n?: ContextNote) => void;
}) {
  const [body, setBody] = useState('');
  const send = useAction(async () =>
    onDone(await modApi.writeNote({ targetType, targetId, body: body.trim() })),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.run();
  };
  return (
    <form className="form note-form" onSubmit={submit} noValidate aria-label="Write a context note">
      <label>
        <span>
          Context for readers <span className="muted">(facts and sources, up to 1000 characters)</span>
        </span>
        <textarea rows={3} maxLength={1000} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <ErrorMessage error={send.error} />
      <div className="row">
        <button type="submit" className="button button-small" disabled={send.pending || !body.trim()}>
          Add note
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
