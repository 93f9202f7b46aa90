import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { Composer } from '../../components/Composer.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Prose } from '../../components/Prose.tsx';
import { ReactionBar } from '../../components/ReactionBar.tsx';
import { api, type Comment, type Community, type Thread } from '../../lib/api.ts';
import { formatDate, plural, timeAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { canModerate, isActiveMember } from '../communities/CommunityPage.tsx';
import { LevelChip } from '../gamification/LevelChip.tsx';
import { type NotesCtx, NotesFor } from '../moderation/ContextNotes.tsx';
import { WriteError } from '../moderation/GuidelinesPrompt.tsx';
import { RemoveWithReason } from '../moderation/RemoveWithReason.tsx';
import { ReportButton } from '../moderation/ReportButton.tsx';
import { SponsoredLabel } from '../partnerships/SponsoredLabel.tsx';
import { useLiveComments } from '../realtime/useLiveComments.ts';
import { buildCommentTree, type CommentNode } from './tree.ts';

interface Ctx {
  thread: Thread;
  canWrite: boolean;
  member: boolean;
  mod: boolean;
  meId: number | null;
  replace: (c: Comment) => void;
  add: (c: Comment) => void;
  /** Context notes of the thread's comments (moderation), when the page loaded them. */
  notes?: NotesCtx;
  /** Issue 7: the thread's author and moderators choose its accepted answer. */
  canAccept: boolean;
  accept: (commentId: number | null) => Promise<void>;
}

/** A thread's comments as a tree (parentId / depth from the API), with replies, edits and reactions. */
export function Comments({
  thread,
  community,
  notes,
  onThreadChange,
}: {
  thread: Thread;
  community: Community | undefined;
  notes?: NotesCtx;
  onThreadChange?: (t: Thread) => void;
}) {
  const { me } = useSession();
  const page = useAsync(() => api.comments(thread.id, { limit: 200 }), [thread.id, me?.id]);
  const [added, setAdded] = useState(0);
  // New comments, edits, deletions and reactions from others appear without a reload (issue 5).
  useLiveComments(thread.id, page, () => setAdded((n) => n + 1));
  const member = community ? isActiveMember(community) : false;
  const mod = community ? canModerate(community, me?.isAdmin) : false;
  const ctx: Ctx = {
    thread,
    member,
    mod,
    canWrite: !!me && member && (!thread.locked || mod),
    meId: me?.id ?? null,
    notes,
    replace: (c) =>
      page.setData((p) => ({
        items: (p?.items ?? []).map((x) => (x.id === c.id ? c : x)),
        nextCursor: p?.nextCursor ?? null,
      })),
    add: (c) => {
      // The live event of this very comment may have arrived before the POST's answer: keep one.
      page.setData((p) => {
        const items = p?.items ?? [];
        const next = items.some((x) => x.id === c.id)
          ? items.map((x) => (x.id === c.id ? c : x))
          : [...items, c];
        return { items: next, nextCursor: p?.nextCursor ?? null };
      });
      setAdded((n) => n + 1);
    },
    canAccept: !!me && !thread.deleted && (me.id === thread.author.id || mod),
    accept: async (commentId) => {
      const t =
        commentId === null
          ? await api.unacceptAnswer(thread.id)
          : await api.acceptAnswer(thread.id, commentId);
      onThreadChange?.(t);
    },
  };
  const loadMore = useAction(async () => {
    const next = await api.comments(thread.id, { limit: 200, cursor: page.data?.nextCursor });
    page.setData((p) => ({ items: [...(p?.items ?? []), ...next.items], nextCursor: next.nextCursor }));
  });
  const tree = buildCommentTree(page.data?.items ?? []);

  return (
    <section className="comments-section" aria-labelledby="comments" id="comments-section">
      <h2 id="comments">{plural(thread.commentCount + added, 'comment')}</h2>
      {ctx.canWrite ? (
        <NewComment ctx={ctx} parentId={null} />
      ) : (
        <p className="muted notice">
          {thread.locked
            ? 'This thread is locked: no new comments.'
            : !me
              ? 'Log in and join the community to comment.'
              : 'Join the community to comment.'}
        </p>
      )}
      <ErrorMessage error={page.error} />
      {page.loading && !page.data ? (
        <Loading label="Loading comments…" lines={3} height="10rem" />
      ) : (
        <CommentList nodes={tree} ctx={ctx} depth={0} />
      )}
      {page.data?.nextCursor && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => loadMore.run()}
          disabled={loadMore.pending}
        >
          {loadMore.pending ? 'Loading…' : 'Show more comments'}
        </button>
      )}
      <ErrorMessage error={loadMore.error} />
    </section>
  );
}

function CommentList({ nodes, ctx, depth }: { nodes: CommentNode[]; ctx: Ctx; depth: number }) {
  if (!nodes.length) return null;
  return (
    <ol className={depth ? 'comments replies' : 'comments'}>
      {nodes.map((n) => (
        <CommentItem key={n.comment.id} node={n} ctx={ctx} depth={depth} />
      ))}
    </ol>
  );
}

function CommentItem({ node, ctx, depth }: { node: CommentNode; ctx: Ctx; depth: number }) {
  const c = node.comment;
  const [mode, setMode] = useState<'view' | 'reply' | 'edit'>('view');
  const isAuthor = ctx.meId !== null && ctx.meId === c.author.id;
  const accepted = ctx.thread.acceptedCommentId === c.id && !c.deleted;
  const accept = useAction(async () => ctx.accept(accepted ? null : c.id));
  const remove = useAction(async () => {
    await api.deleteComment(c.id);
    ctx.replace({ ...c, deleted: true, body: null, bodyHtml: null });
  });
  return (
    <li className={accepted ? 'comment accepted' : 'comment'} id={`comment-${c.id}`}>
      <article aria-label={c.deleted ? 'Deleted comment' : `Comment by ${c.author.displayName}`}>
        {!c.deleted && <SponsoredLabel sponsored={c.sponsored} />}
        <p className="meta">
          {c.deleted ? (
            <span>[deleted]</span>
          ) : (
            <>
              <Avatar user={c.author} size={24} />
              <a href={`/u/${c.author.username}`}>{c.author.displayName}</a>
              <LevelChip slug={ctx.thread.community.slug} username={c.author.username} />
            </>
          )}
          {accepted && <span className="accepted-mark">✓ Accepted answer</span>}
          <time dateTime={c.createdAt} title={formatDate(c.createdAt)}>
            {timeAgo(c.createdAt)}
          </time>
          {c.editedAt && !c.deleted && <span>edited</span>}
          {c.pending && !c.deleted && <span className="badge badge-warn">Waiting for approval</span>}
        </p>
        {mode === 'edit' ? (
          <EditComment c={c} ctx={ctx} onDone={() => setMode('view')} />
        ) : c.deleted || c.bodyHtml === null ? (
          <p className="muted">This comment was deleted.</p>
        ) : (
          <Prose html={c.bodyHtml} />
        )}
        {!c.deleted && mode !== 'edit' && (
          <div className="comment-foot">
            <ReactionBar
              target="comments"
              id={c.id}
              score={c.score}
              counts={c.reactionCounts}
              mine={c.myReaction}
              canReact={ctx.member}
              onChange={(r) => ctx.replace({ ...c, ...r })}
            />
            <div className="actions">
              {ctx.canWrite && (
                <button
                  type="button"
                  className="link-button"
                  aria-expanded={mode === 'reply'}
                  onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}
                >
                  Reply
                </button>
              )}
              {ctx.meId !== null && !isAuthor && (
                <ReportButton
                  targetType="comment"
                  targetId={c.id}
                  slug={ctx.thread.community.slug}
                  what={`the comment by ${c.author.displayName}`}
                />
              )}
              {ctx.mod && !isAuthor && (
                <RemoveWithReason
                  slug={ctx.thread.community.slug}
                  targetType="comment"
                  targetId={c.id}
                  onRemoved={() => ctx.replace({ ...c, deleted: true, body: null, bodyHtml: null })}
                />
              )}
              {ctx.canAccept && (
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={accepted}
                  disabled={accept.pending}
                  onClick={() => accept.run()}
                >
                  {accepted ? 'Unaccept answer' : 'Accept as answer'}
                </button>
              )}
              {(isAuthor || ctx.mod) && (
                <>
                  <button type="button" className="link-button" onClick={() => setMode('edit')}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="link-button danger"
                    disabled={remove.pending}
                    onClick={() => {
                      if (window.confirm('Delete this comment?')) remove.run();
                    }}
                  >
                    Delete
                  </button>
                </>
              )}
            </div>
          </div>
        )}
        <ErrorMessage error={remove.error ?? accept.error} />
        {ctx.notes && !c.deleted && (
          <NotesFor ctx={ctx.notes} targetType="comment" targetId={c.id} authorId={c.author.id} />
        )}
        {mode === 'reply' && <NewComment ctx={ctx} parentId={c.id} onDone={() => setMode('view')} />}
      </article>
      <CommentList nodes={node.children} ctx={ctx} depth={depth + 1} />
    </li>
  );
}

function NewComment({ ctx, parentId, onDone }: { ctx: Ctx; parentId: number | null; onDone?: () => void }) {
  const [body, setBody] = useState('');
  const send = useAction(async () => {
    const c = await api.createComment(ctx.thread.id, { body, parentId });
    ctx.add(c);
    setBody('');
    onDone?.();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.run();
  };
  return (
    <form
      className="comment-form"
      onSubmit={submit}
      noValidate
      aria-label={parentId ? 'Reply' : 'New comment'}
    >
      <Composer
        label={parentId ? 'Your reply' : 'Add a comment'}
        value={body}
        onChange={setBody}
        slug={ctx.thread.community.slug}
        rows={parentId ? 3 : 4}
        autoFocus={parentId !== null}
        onSubmitShortcut={() => send.run()}
      />
      <WriteError error={send.error} slug={ctx.thread.community.slug} onAccepted={send.clear} />
      <div className="row">
        <button type="submit" className="button" disabled={send.pending}>
          {send.pending ? 'Posting…' : parentId ? 'Reply' : 'Comment'}
        </button>
        {onDone && (
          <button type="button" className="button button-secondary" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function EditComment({ c, ctx, onDone }: { c: Comment; ctx: Ctx; onDone: () => void }) {
  const [body, setBody] = useState(c.body ?? '');
  const save = useAction(async () => {
    ctx.replace(await api.updateComment(c.id, body));
    onDone();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.run();
  };
  return (
    <form className="comment-form" onSubmit={submit} noValidate aria-label="Edit comment">
      <Composer
        label="Edit your comment"
        value={body}
        onChange={setBody}
        slug={ctx.thread.community.slug}
        rows={3}
        autoFocus
        onSubmitShortcut={() => save.run()}
      />
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" className="button" disabled={save.pending}>
          Save
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
