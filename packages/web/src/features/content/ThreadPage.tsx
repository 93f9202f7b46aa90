import { type FormEvent, type MouseEvent, useEffect, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { Composer } from '../../components/Composer.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { Prose } from '../../components/Prose.tsx';
import { ReactionBar } from '../../components/ReactionBar.tsx';
import { ApiError, api, type Community, type Thread } from '../../lib/api.ts';
import { formatDate, timeAgo } from '../../lib/format.ts';
import { parseTags } from '../../lib/mentions.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { useReadTracker } from '../analytics/useReadTracker.ts';
import { CrosspostedIn, CrosspostPanel, usePartnerMembership } from '../collaborations/SharePanels.tsx';
import { canModerate, isActiveMember } from '../communities/CommunityPage.tsx';
import { LevelChip } from '../gamification/LevelChip.tsx';
import { type NotesCtx, NotesFor } from '../moderation/ContextNotes.tsx';
import { ActionNotice, useRemovalOf } from '../moderation/MyModerationPage.tsx';
import { useThreadNotes } from '../moderation/notes.ts';
import { RemoveWithReason } from '../moderation/RemoveWithReason.tsx';
import { ReportButton } from '../moderation/ReportButton.tsx';
import { useReadingReport } from '../moderation/reading.ts';
import { SponsoredLabel } from '../partnerships/SponsoredLabel.tsx';
import { Comments } from './Comments.tsx';
import { Poll } from './Poll.tsx';

/**
 * A thread: body, reactions, edit/delete for its author (and moderators), pin/lock for
 * moderators, and its nested comments. Same URL as the server-rendered public page.
 */
export function ThreadPage({ slug, id }: { slug: string; id: number }) {
  const { me } = useSession();
  const thread = useAsync(() => api.thread(id), [id, me?.id]);
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  useTitle(thread.data?.title);
  const ownMember = !!community.data && isActiveMember(community.data);
  const partner = usePartnerMembership(id, ownMember || (community.loading && !community.error));
  // Reading time for the community's analytics (kept as the member's only with their consent).
  useReadTracker(thread.data && !thread.data.deleted ? thread.data.id : null);
  const moved = thread.data && thread.data.community.slug !== slug ? thread.data : null;
  useEffect(() => {
    if (moved) navigate(`/c/${moved.community.slug}/t/${moved.id}`, { replace: true });
  }, [moved]);

  const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;
  const gone = notFound(thread.error);
  // A thread a moderator removed is gone for everyone, its author included: tell them why.
  const removal = useRemovalOf('thread', id, gone && !!me);
  const notes = useThreadNotes(id, community.data, !!thread.data);
  useReadingReport(id, (thread.data?.commentCount ?? 0) + 1, !!me && !!thread.data && !thread.data.pending);
  if (gone && removal.data) {
    return (
      <section className="stack">
        <h1>This thread was removed</h1>
        <div className="card">
          <ActionNotice a={removal.data} />
        </div>
        <p>
          <a href={`/c/${slug}`}>Back to the community</a> ·{' '}
          <a href="/me/moderation">All moderation notices</a>
        </p>
      </section>
    );
  }
  if (gone && me && removal.loading) return <Loading label="Loading thread…" lines={6} height="24rem" />;
  if (!Number.isInteger(id) || id < 1 || gone) return <NotFound what="thread" />;
  if (thread.error) return <ErrorMessage error={thread.error} />;
  if (!thread.data || (!community.data && !community.error)) {
    return <Loading label="Loading thread…" lines={6} height="24rem" />;
  }
  const t = thread.data;
  if (moved) return null;
  return (
    <div className="thread-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${t.community.slug}`}>{t.community.name}</a>
      </nav>
      {/* A cross-posted thread of a private partner: its community is not readable, the thread is. */}
      {!(community.error instanceof ApiError && community.error.status === 404) && (
        <ErrorMessage error={community.error} />
      )}
      <ThreadBody t={t} c={community.data} onChange={thread.setData} notes={notes} />
      <CrosspostedIn threadId={t.id} />
      <Poll threadId={t.id} isAuthor={me?.id === t.author.id} />
      {community.data && canModerate(community.data, me?.isAdmin) && (
        <CrosspostPanel threadId={t.id} originSlug={t.community.slug} />
      )}
      <Comments
        thread={t}
        community={
          partner.data
            ? // A member of a partner it is cross-posted to comments as a plain member (collaborations).
              { ...(community.data ?? partnerView(t)), membership: partner.data }
            : community.data
        }
        notes={notes}
        onThreadChange={thread.setData}
      />
    </div>
  );
}

function ThreadBody({
  t,
  c,
  onChange,
  notes,
}: {
  t: Thread;
  c: Community | undefined;
  onChange: (t: Thread) => void;
  notes: NotesCtx;
}) {
  const { me } = useSession();
  const [editing, setEditing] = useState(false);
  const isAuthor = me?.id === t.author.id;
  const mod = c ? canModerate(c, me?.isAdmin) : false;
  const member = c ? isActiveMember(c) : false;

  const moderate = useAction(async (patch: { pinned?: boolean; locked?: boolean; wiki?: boolean }) => {
    onChange(await api.updateThread(t.id, patch));
  });
  const remove = useAction(async () => {
    await api.deleteThread(t.id);
    navigate(`/c/${t.community.slug}`, { replace: true });
  });

  // #tag links in the stored HTML point at /t/{tag}; inside a community, filter its list instead.
  const onBodyClick = (e: MouseEvent) => {
    const a = (e.target as Element).closest('a.tag');
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    const name = a.getAttribute('href')?.replace(/^\/t\//, '') ?? '';
    navigate(`/c/${t.community.slug}?tag=${name}`);
  };

  if (editing) {
    return (
      <EditThread
        t={t}
        onDone={(updated) => {
          if (updated) onChange(updated);
          setEditing(false);
        }}
      />
    );
  }
  return (
    <article className="thread card" aria-labelledby="thread-title">
      <SponsoredLabel sponsored={t.sponsored} />
      <h1 id="thread-title">
        {t.title}
        {t.pinned && <span className="badge badge-accent">Pinned</span>}
        {t.locked && <span className="badge">Locked</span>}
        {t.wiki && (
          <span className="badge" title="Trusted members of this community can edit it">
            Wiki
          </span>
        )}
      </h1>
      {t.pending && (
        <p className="notice">Waiting for approval: a moderator will look at it before others can see it.</p>
      )}
      <p className="meta">
        <Avatar user={t.author} size={24} />
        <a href={`/u/${t.author.username}`}>{t.author.displayName}</a>
        <LevelChip slug={t.community.slug} username={t.author.username} />
        <time dateTime={t.createdAt} title={formatDate(t.createdAt)}>
          {timeAgo(t.createdAt)}
        </time>
        {t.editedAt && <span title={formatDate(t.editedAt)}>edited</span>}
      </p>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: delegates clicks on its links, which are keyboard-reachable themselves */}
      <div onClick={onBodyClick}>
        <Prose html={t.bodyHtml} />
      </div>
      {t.tags.length > 0 && (
        <ul className="chips" aria-label="Tags">
          {t.tags.map((tag) => (
            <li key={tag}>
              <a className="chip tag" href={`/c/${t.community.slug}?tag=${encodeURIComponent(tag)}`}>
                #{tag}
              </a>
            </li>
          ))}
        </ul>
      )}
      <ReactionBar
        target="threads"
        id={t.id}
        score={t.score}
        counts={t.reactionCounts}
        mine={t.myReaction}
        canReact={member}
        onChange={(r) => onChange({ ...t, ...r })}
      />
      <NotesFor ctx={notes} targetType="thread" targetId={t.id} authorId={t.author.id} />
      {me && !isAuthor && (
        <div className="actions">
          {t.wiki && member && !mod && (
            // The server decides whether the member's trust level allows it; a refusal shows here.
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setEditing(true)}
            >
              Edit wiki
            </button>
          )}
          <ReportButton targetType="thread" targetId={t.id} slug={t.community.slug} what="this thread" />
        </div>
      )}
      {(isAuthor || mod) && (
        <div className="actions">
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-danger button-small"
            disabled={remove.pending}
            onClick={() => {
              if (window.confirm('Delete this thread? Its comments go with it.')) remove.run();
            }}
          >
            Delete
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            aria-pressed={!!t.wiki}
            disabled={moderate.pending}
            title="A wiki can be edited by members the community trusts enough"
            onClick={() => moderate.run({ wiki: !t.wiki })}
          >
            {t.wiki ? 'Not a wiki' : 'Make wiki'}
          </button>
          {mod && (
            <>
              <button
                type="button"
                className="button button-secondary button-small"
                aria-pressed={t.pinned}
                disabled={moderate.pending}
                onClick={() => moderate.run({ pinned: !t.pinned })}
              >
                {t.pinned ? 'Unpin' : 'Pin'}
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                aria-pressed={t.locked}
                disabled={moderate.pending}
                onClick={() => moderate.run({ locked: !t.locked })}
              >
                {t.locked ? 'Unlock' : 'Lock'}
              </button>
              {!isAuthor && (
                <RemoveWithReason
                  slug={t.community.slug}
                  targetType="thread"
                  targetId={t.id}
                  onRemoved={() => navigate(`/c/${t.community.slug}/moderation`, { replace: true })}
                />
              )}
            </>
          )}
        </div>
      )}
      <ErrorMessage error={moderate.error ?? remove.error} />
    </article>
  );
}

function EditThread({ t, onDone }: { t: Thread; onDone: (t?: Thread) => void }) {
  const [title, setTitle] = useState(t.title);
  const [body, setBody] = useState(t.body);
  const [tags, setTags] = useState(t.tags.join(', '));
  const save = useAction(async () => {
    const parsed = parseTags(tags);
    onDone(
      await api.updateThread(t.id, { title: title.trim(), body, tags: [...parsed.tags, ...parsed.invalid] }),
    );
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.run();
  };
  return (
    <form className="thread card form" onSubmit={submit} noValidate aria-label="Edit thread">
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required />
      </label>
      <Composer
        label="Body"
        value={body}
        onChange={setBody}
        slug={t.community.slug}
        rows={10}
        showTags
        onSubmitShortcut={() => save.run()}
      />
      <label>
        Tags
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" className="button" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The little a partner member needs of a private origin community they cannot open. */
const partnerView = (t: Thread): Community => ({
  ...t.community,
  description: '',
  visibility: 'private',
  joinPolicy: 'invite',
  guidelines: '',
  memberCount: 0,
  threadCount: 0,
  createdAt: t.createdAt,
  membership: null,
});
