import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { Composer } from '../../components/Composer.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { extractTags, parseTags } from '../../lib/mentions.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { isActiveMember } from '../communities/CommunityPage.tsx';
import { type PollInput, pollsApi } from '../events/api.ts';
import { WriteError } from '../moderation/GuidelinesPrompt.tsx';
import { PollEditor } from './Poll.tsx';

/** Start a thread: title, markdown body with preview and @mentions, tags (listed or #written). */
export function NewThreadPage({ slug }: { slug: string }) {
  const { me, loading } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [poll, setPoll] = useState<PollInput | null>(null);
  useTitle(community.data ? `New thread in ${community.data.name}` : 'New thread');
  const parsed = parseTags(tags);
  const post = useAction(async () => {
    const pollBody = poll && {
      ...poll,
      question: poll.question.trim(),
      options: poll.options.map((o) => o.trim()).filter(Boolean),
    };
    if (pollBody && (!pollBody.question || pollBody.options.length < 2))
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        'A poll needs a question and at least two options',
        'poll',
      );
    const t = await api.createThread(slug, {
      title: title.trim(),
      body,
      ...(tags.trim() && { tags: [...parsed.tags, ...parsed.invalid] }),
    });
    // The poll is attached right after the thread; if that fails, the thread page lets its author add it again.
    if (pollBody) await pollsApi.create(t.id, pollBody).catch(() => undefined);
    navigate(`/c/${t.community.slug}/t/${t.id}`, { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    post.run();
  };

  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="start a thread" />;
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!community.data) return <Loading lines={6} height="24rem" />;
  const c = community.data;
  const fromBody = extractTags(body).filter((t) => !parsed.tags.includes(t));
  return (
    <section className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${c.slug}`}>{c.name}</a>
      </nav>
      <h1>New thread</h1>
      {!isActiveMember(c) && (
        <p className="notice">
          Only members can post here. <a href={`/c/${c.slug}/about`}>Read the guidelines and join</a> first.
        </p>
      )}
      <form className="card form" onSubmit={submit} noValidate>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required />
        </label>
        <Composer
          label="Body"
          value={body}
          onChange={setBody}
          slug={c.slug}
          rows={10}
          showTags
          onSubmitShortcut={() => post.run()}
        />
        <label>
          <span>
            Tags <span className="muted">(optional)</span>
          </span>
          <input
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            aria-describedby="tags-hint"
            placeholder="e.g. gear, beginners"
          />
        </label>
        <p id="tags-hint" className="hint">
          Up to 10, separated by commas or spaces.
          {fromBody.length > 0 && ` From the text: ${fromBody.map((t) => `#${t}`).join(' ')}.`}
          {parsed.invalid.length > 0 && (
            <span className="error-text"> Not valid: {parsed.invalid.join(', ')}</span>
          )}
        </p>
        <PollEditor value={poll} onChange={setPoll} />
        <WriteError error={post.error} slug={c.slug} onAccepted={post.clear} />
        <div className="row">
          <button type="submit" className="button" disabled={post.pending}>
            {post.pending ? 'Posting…' : 'Post thread'}
          </button>
          <a className="button button-secondary" href={`/c/${c.slug}`}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
