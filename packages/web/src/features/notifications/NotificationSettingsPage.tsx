import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { type AllowFrom, messagingApi } from '../messaging/api.ts';
import { type Channel, type Digest, notificationsApi } from './api.ts';

const CHANNELS: [Channel, string][] = [
  ['in_app', 'In the app'],
  ['email', 'App + email when away'],
  ['off', 'Off'],
];

/** Notification preferences (per type), the digest, who may message me, and blocked members. */
export function NotificationSettingsPage() {
  useTitle('Notification settings');
  const { me, loading } = useSession();
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="change your notification settings" />;
  return (
    <div className="stack">
      <h1>Notifications and messages</h1>
      <PreferencesForm />
      <MessagingSettings />
    </div>
  );
}

function PreferencesForm() {
  const prefs = useAsync(() => notificationsApi.preferences(), []);
  const [saved, setSaved] = useState(false);
  const save = useAction(async (body: { types?: Record<string, Channel>; digest?: Digest }) => {
    setSaved(false);
    prefs.setData(await notificationsApi.updatePreferences(body));
    setSaved(true);
  });
  if (!prefs.data)
    return prefs.error ? <ErrorMessage error={prefs.error} /> : <Loading lines={8} height="22rem" />;
  return (
    <section className="card" aria-labelledby="prefs-h">
      <h2 id="prefs-h">What to tell me about</h2>
      <table className="prefs-table">
        <thead>
          <tr>
            <th scope="col">Type</th>
            {CHANNELS.map(([c, label]) => (
              <th key={c} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {prefs.data.types.map((t) => (
            <tr key={t.type}>
              <th scope="row">{t.label}</th>
              {CHANNELS.map(([c, label]) => (
                <td key={c}>
                  <input
                    type="radio"
                    name={`pref-${t.type}`}
                    aria-label={`${t.label}: ${label}`}
                    checked={t.channel === c}
                    disabled={save.pending}
                    onChange={() => save.run({ types: { [t.type]: c } })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="field">
        <label htmlFor="digest">Email digest of what I missed</label>
        <select
          id="digest"
          value={prefs.data.digest}
          disabled={save.pending}
          onChange={(e) => save.run({ digest: e.target.value as Digest })}
        >
          <option value="off">No digest</option>
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
        </select>
      </div>
      <ErrorMessage error={save.error} />
      <output className="muted">{saved ? 'Saved.' : ''}</output>
    </section>
  );
}

function MessagingSettings() {
  const settings = useAsync(() => messagingApi.settings(), []);
  const blocks = useAsync(() => messagingApi.blocks(), []);
  const save = useAction(async (allowFrom: AllowFrom) =>
    settings.setData(await messagingApi.updateSettings(allowFrom)),
  );
  const unblock = useAction(async (username: string) => {
    await messagingApi.block(username, false);
    blocks.reload();
  });
  return (
    <section className="card" aria-labelledby="dm-h">
      <h2 id="dm-h">Direct messages</h2>
      {!settings.data ? (
        <Loading lines={2} height="4rem" />
      ) : (
        <div className="field">
          <label htmlFor="allow-from">Who may start a conversation with me</label>
          <select
            id="allow-from"
            value={settings.data.allowFrom}
            disabled={save.pending}
            onChange={(e) => save.run(e.target.value as AllowFrom)}
          >
            <option value="everyone">Everyone</option>
            <option value="communities">Members of a community I am in</option>
            <option value="nobody">Nobody</option>
          </select>
        </div>
      )}
      <ErrorMessage error={settings.error ?? save.error} />
      <h3>Blocked members</h3>
      {blocks.data && blocks.data.items.length === 0 && <p className="muted">Nobody.</p>}
      <ul className="plain-list">
        {blocks.data?.items.map((b) => (
          <li key={b.id}>
            <a href={`/u/${b.username}`}>{b.displayName}</a>{' '}
            <button type="button" className="link-button" onClick={() => unblock.run(b.username)}>
              Unblock
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={blocks.error ?? unblock.error} />
    </section>
  );
}
