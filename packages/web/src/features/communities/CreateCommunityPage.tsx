import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { Composer } from '../../components/Composer.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { api, type JoinPolicy, type Visibility } from '../../lib/api.ts';
import { slugify } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';

export const VISIBILITY: [Visibility, string, string][] = [
  ['public', 'Public', 'Anyone can find it and read its threads.'],
  ['private', 'Private', 'Invisible to non-members; people join by invitation.'],
];
export const JOIN_POLICY: [JoinPolicy, string, string][] = [
  ['open', 'Open', 'Anyone can join right away.'],
  ['request', 'By request', 'People ask to join; a moderator approves.'],
  ['invite', 'Invitation only', 'Moderators invite members.'],
];

/** Radio groups for visibility and join policy; a private community is invitation-only (the server's rule). */
export function PolicyFields({
  visibility,
  joinPolicy,
  onChange,
  disabled,
}: {
  visibility: Visibility;
  joinPolicy: JoinPolicy;
  onChange: (v: { visibility: Visibility; joinPolicy: JoinPolicy }) => void;
  disabled?: boolean;
}) {
  return (
    <>
      <fieldset disabled={disabled}>
        <legend>Visibility</legend>
        {VISIBILITY.map(([v, label, hint]) => (
          <label key={v} className="radio">
            <input
              type="radio"
              name="visibility"
              value={v}
              checked={visibility === v}
              onChange={() =>
                onChange({ visibility: v, joinPolicy: v === 'private' ? 'invite' : joinPolicy })
              }
            />
            <span>
              <strong>{label}</strong> <span className="muted">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset disabled={disabled}>
        <legend>Who can join</legend>
        {JOIN_POLICY.map(([p, label, hint]) => (
          <label key={p} className="radio">
            <input
              type="radio"
              name="joinPolicy"
              value={p}
              checked={joinPolicy === p}
              disabled={visibility === 'private' && p !== 'invite'}
              onChange={() => onChange({ visibility, joinPolicy: p })}
            />
            <span>
              <strong>{label}</strong> <span className="muted">{hint}</span>
            </span>
          </label>
        ))}
        {visibility === 'private' && (
          <p className="hint">Private communities can only be joined by invitation.</p>
        )}
      </fieldset>
    </>
  );
}

/** Start a community: name, address, description, visibility, join policy, guidelines. You become its owner. */
export function CreateCommunityPage() {
  useTitle('New community');
  const { me, loading } = useSession();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [policy, setPolicy] = useState<{ visibility: Visibility; joinPolicy: JoinPolicy }>({
    visibility: 'public',
    joinPolicy: 'open',
  });
  const [guidelines, setGuidelines] = useState('');
  const create = useAction(async () => {
    const c = await api.createCommunity({
      slug: slug.trim(),
      name: name.trim(),
      description,
      ...policy,
      guidelines,
    });
    navigate(`/c/${c.slug}`, { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.run();
  };
  if (loading) return <Loading lines={6} height="30rem" />;
  if (!me) return <SignInPrompt what="start a community" />;
  return (
    <section className="stack">
      <h1>Start a community</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <label>
          Name
          <input
            value={name}
            maxLength={100}
            required
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
          />
        </label>
        <label>
          Address
          <span className="input-prefix">
            <span aria-hidden="true">/c/</span>
            <input
              value={slug}
              required
              maxLength={50}
              aria-describedby="slug-hint"
              onChange={(e) => {
                setSlugEdited(true);
                setSlug(e.target.value.toLowerCase());
              }}
            />
          </span>
        </label>
        <p id="slug-hint" className="hint">
          3–50 lower-case letters, digits and dashes. It cannot be changed later.
        </p>
        <label>
          Description
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={3}
            maxLength={5000}
          />
        </label>
        <PolicyFields visibility={policy.visibility} joinPolicy={policy.joinPolicy} onChange={setPolicy} />
        <Composer
          label="Guidelines (members accept them when they join)"
          value={guidelines}
          onChange={setGuidelines}
          rows={6}
          placeholder={'1. Be kind.\n2. Stay on topic.'}
        />
        <ErrorMessage error={create.error} />
        <div className="row">
          <button type="submit" className="button" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create community'}
          </button>
        </div>
      </form>
    </section>
  );
}
