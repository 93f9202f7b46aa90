import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { api, type CreatedToken, type Me } from '../../lib/api.ts';
import { formatDate, timeAgo } from '../../lib/format.ts';
import { parseTags } from '../../lib/mentions.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { ConsentPanel } from '../privacy/ConsentPanel.tsx';
import { DataRightsPanel } from '../privacy/DataRightsPanel.tsx';
import { SignInPrompt } from './SignInPrompt.tsx';

/** Your profile (name, bio, picture, interests) and personal API tokens. */
export function SettingsPage() {
  useTitle('Settings');
  const { me, loading } = useSession();
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="change your settings" />;
  return (
    <div className="stack">
      <h1>Settings</h1>
      <p>
        <a href="/settings/notifications">Notifications and direct messages</a>
      </p>
      <ProfileForm me={me} />
      <section className="card" aria-labelledby="more-h">
        <h2 id="more-h">Your feed and moderation</h2>
        <ul className="list">
          <li className="list-row">
            <a href="/follows">Follows and mutes</a>
            <span className="muted small">what comes to your home feed, and what stays out</span>
          </li>
          <li className="list-row">
            <a href="/me/moderation">Moderation notices</a>
            <span className="muted small">what moderators did about your posts, and appeals</span>
          </li>
        </ul>
      </section>
      <TokensPanel />
      <ConsentPanel />
      <DataRightsPanel />
    </div>
  );
}

function ProfileForm({ me }: { me: Me }) {
  const { setMe } = useSession();
  const [form, setForm] = useState({
    displayName: me.displayName,
    bio: me.bio,
    avatarUrl: me.avatarUrl ?? '',
    interests: me.interests.join(', '),
  });
  const [saved, setSaved] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };
  const parsed = parseTags(form.interests);
  const save = useAction(async () => {
    const updated = await api.updateMe({
      displayName: form.displayName.trim(),
      bio: form.bio,
      avatarUrl: form.avatarUrl.trim() || null,
      // Invalid words go to the server as typed, so its message names them.
      interests: [...parsed.tags, ...parsed.invalid],
    });
    setMe(updated);
    setSaved(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.run();
  };
  return (
    <section className="card" aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="avatar-row">
          <Avatar
            user={{ ...me, avatarUrl: /^https?:\/\//.test(form.avatarUrl) ? form.avatarUrl : null }}
            size={64}
          />
          <label className="grow">
            <span>
              Picture URL <span className="muted">(https://…, optional)</span>
            </span>
            <input type="url" value={form.avatarUrl} onChange={set('avatarUrl')} inputMode="url" />
          </label>
        </div>
        <label>
          Display name
          <input value={form.displayName} onChange={set('displayName')} maxLength={64} required />
        </label>
        <label>
          Bio
          <textarea value={form.bio} onChange={set('bio')} rows={4} maxLength={2000} />
        </label>
        <label>
          Interests
          <input value={form.interests} onChange={set('interests')} aria-describedby="interests-hint" />
        </label>
        <p id="interests-hint" className="hint">
          Separate with commas or spaces, e.g. “trail-running, pottery”. Letters, digits and dashes.
          {parsed.invalid.length > 0 && (
            <span className="error-text"> Not valid: {parsed.invalid.join(', ')}</span>
          )}
        </p>
        <ErrorMessage error={save.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.pending}>
            {save.pending ? 'Saving…' : 'Save profile'}
          </button>
          <output className="ok-text">{saved ? 'Saved.' : ''}</output>
        </div>
      </form>
    </section>
  );
}

function TokensPanel() {
  const tokens = useAsync(() => api.tokens(), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useAction(async () => {
    const t = await api.createToken(name.trim());
    setCreated(t);
    setCopied(false);
    setName('');
    tokens.setData((prev) => ({ items: [t, ...(prev?.items ?? [])] }));
  });
  const revoke = useAction(async (id: number) => {
    await api.revokeToken(id);
    tokens.setData((prev) => ({ items: (prev?.items ?? []).filter((t) => t.id !== id) }));
    if (created?.id === id) setCreated(null);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.run();
  };
  return (
    <section className="card" aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <p className="muted">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code> to the <a href="/api/docs">API</a>.
        A token acts as you; revoke it when it is no longer needed.
      </p>
      <form className="row form-inline" onSubmit={submit} noValidate>
        <label className="grow">
          Token name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder="e.g. backup script"
          />
        </label>
        <button type="submit" className="button" disabled={create.pending}>
          Create token
        </button>
      </form>
      <ErrorMessage error={create.error} />
      {created && (
        <div className="notice">
          <p>
            <strong>Copy your new token now</strong>: it is shown only once.
          </p>
          <div className="row">
            <input
              className="grow mono"
              readOnly
              value={created.token}
              aria-label="New token"
              onFocus={(e) => e.target.select()}
            />
            <button
              type="button"
              className="button button-secondary"
              onClick={() => navigator.clipboard?.writeText(created.token).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={tokens.error ?? revoke.error} />
      {tokens.loading && !tokens.data ? (
        <Loading lines={2} />
      ) : (
        <ul className="list">
          {tokens.data?.items.length === 0 && <li className="muted">No tokens yet.</li>}
          {tokens.data?.items.map((t) => (
            <li key={t.id} className="list-row">
              <div className="grow">
                <strong>{t.name}</strong>
                <div className="muted small">
                  created {formatDate(t.createdAt)} ·{' '}
                  {t.lastUsedAt ? `last used ${timeAgo(t.lastUsedAt)}` : 'never used'}
                </div>
              </div>
              <button
                type="button"
                className="button button-danger button-small"
                disabled={revoke.pending}
                onClick={() => {
                  if (window.confirm(`Revoke the token “${t.name}”? Scripts using it will stop working.`))
                    revoke.run(t.id);
                }}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
