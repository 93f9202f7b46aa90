import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { Composer } from '../../components/Composer.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api, type Community, type Member, type MemberStatus, type Role } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CollaborationsSection, EventSettingsSection } from '../collaborations/CollaborationsSection.tsx';
import { CommunityHeader, canModerate } from './CommunityPage.tsx';
import { PolicyFields } from './CreateCommunityPage.tsx';

/**
 * For moderators and owners: edit the community (visibility and join policy: owners),
 * approve or reject requests, invite people, change roles (owners) and remove members.
 */
export function CommunitySettingsPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const c = community.data;
  useTitle(c ? `Settings · ${c.name}` : 'Community settings');
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  const isOwner = me?.isAdmin || (c.membership?.status === 'active' && c.membership.role === 'owner');
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="settings" onChanged={community.reload} />
      {!canModerate(c, me?.isAdmin) ? (
        <p className="notice">Only moderators and owners of {c.name} can change its settings.</p>
      ) : (
        <>
          <p className="notice">
            Points, levels, badges and rewards:{' '}
            <a href={`/c/${c.slug}/gamification`}>gamification settings</a>.
          </p>
          <EditCommunity c={c} isOwner={!!isOwner} onSaved={community.setData} />
          <MemberSection
            c={c}
            status="pending"
            title="Requests to join"
            isOwner={!!isOwner}
            onChanged={community.reload}
          />
          <InviteSection c={c} />
          <EventSettingsSection c={c} />
          <CollaborationsSection c={c} isOwner={!!isOwner} />
          <MemberSection
            c={c}
            status="active"
            title="Members and roles"
            isOwner={!!isOwner}
            onChanged={community.reload}
          />
        </>
      )}
    </div>
  );
}

function EditCommunity({
  c,
  isOwner,
  onSaved,
}: {
  c: Community;
  isOwner: boolean;
  onSaved: (c: Community) => void;
}) {
  const [form, setForm] = useState({ name: c.name, description: c.description, guidelines: c.guidelines });
  const [policy, setPolicy] = useState({ visibility: c.visibility, joinPolicy: c.joinPolicy });
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    const changedPolicy = policy.visibility !== c.visibility || policy.joinPolicy !== c.joinPolicy;
    const updated = await api.updateCommunity(c.slug, { ...form, ...(changedPolicy && policy) });
    onSaved(updated);
    setSaved(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.run();
  };
  return (
    <section className="card" aria-labelledby="edit-h">
      <h2 id="edit-h">Community</h2>
      <form className="form" onSubmit={submit} noValidate>
        <label>
          Name
          <input
            value={form.name}
            maxLength={100}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </label>
        <label>
          Description
          <textarea
            value={form.description}
            rows={3}
            maxLength={5000}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </label>
        <PolicyFields
          visibility={policy.visibility}
          joinPolicy={policy.joinPolicy}
          onChange={setPolicy}
          disabled={!isOwner}
        />
        {!isOwner && <p className="hint">Only owners change visibility and who can join.</p>}
        <Composer
          label="Guidelines"
          value={form.guidelines}
          onChange={(guidelines) => setForm({ ...form, guidelines })}
          rows={6}
        />
        <ErrorMessage error={save.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.pending}>
            {save.pending ? 'Saving…' : 'Save changes'}
          </button>
          <output className="ok-text">{saved ? 'Saved.' : ''}</output>
        </div>
      </form>
    </section>
  );
}

function InviteSection({ c }: { c: Community }) {
  const invited = useAsync(() => api.members(c.slug, { status: 'invited', limit: 200 }), [c.slug]);
  const [username, setUsername] = useState('');
  const [done, setDone] = useState('');
  const invite = useAction(async () => {
    const name = username.trim().replace(/^@/, '');
    await api.invite(c.slug, name);
    setDone(`Invited @${name}.`);
    setUsername('');
    invited.reload();
  });
  const cancel = useAction(async (name: string) => {
    await api.removeMember(c.slug, name);
    invited.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    invite.run();
  };
  return (
    <section className="card" aria-labelledby="invite-h">
      <h2 id="invite-h">Invitations</h2>
      <form className="row form-inline" onSubmit={submit} noValidate>
        <label className="grow">
          Username to invite
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit" className="button" disabled={invite.pending}>
          Invite
        </button>
      </form>
      <ErrorMessage error={invite.error} />
      <output className="ok-text block">{done}</output>
      <h3>Waiting for an answer</h3>
      <ErrorMessage error={invited.error ?? cancel.error} />
      {invited.loading && !invited.data ? (
        <Loading lines={1} />
      ) : invited.data?.items.length ? (
        <ul className="list">
          {invited.data.items.map((m) => (
            <li key={m.userId} className="list-row">
              <Avatar user={m} size={28} />
              <span className="grow">
                {m.displayName} <span className="muted">@{m.username}</span>
              </span>
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={cancel.pending}
                onClick={() => cancel.run(m.username)}
              >
                Cancel invitation
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No open invitations.</p>
      )}
    </section>
  );
}

function MemberSection({
  c,
  status,
  title,
  isOwner,
  onChanged,
}: {
  c: Community;
  status: MemberStatus;
  title: string;
  isOwner: boolean;
  onChanged: () => void;
}) {
  const { me } = useSession();
  const list = useAsync(() => api.members(c.slug, { status, limit: 200 }), [c.slug, status]);
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    list.reload();
    onChanged();
  });
  const id = `members-${status}-h`;
  const row = (m: Member) => (
    <li key={m.userId} className="list-row wrap">
      <Avatar user={m} size={32} />
      <span className="grow">
        <a href={`/u/${m.username}`}>{m.displayName}</a> <span className="muted">@{m.username}</span>
        {m.joinedAt && <span className="muted small block">joined {formatDate(m.joinedAt)}</span>}
      </span>
      {status === 'pending' ? (
        <>
          <button
            type="button"
            className="button button-small"
            disabled={act.pending}
            onClick={() => act.run(() => api.approve(c.slug, m.username))}
          >
            Approve
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={act.pending}
            onClick={() => act.run(() => api.removeMember(c.slug, m.username))}
          >
            Reject
          </button>
        </>
      ) : (
        <>
          <label className="inline-label">
            <span className="visually-hidden">Role of {m.username}</span>
            <select
              value={m.role}
              disabled={!isOwner || act.pending}
              onChange={(e) => act.run(() => api.setRole(c.slug, m.username, e.target.value as Role))}
            >
              <option value="member">Member</option>
              <option value="moderator">Moderator</option>
              <option value="owner">Owner</option>
            </select>
          </label>
          {m.username !== me?.username && m.role !== 'owner' && (
            <button
              type="button"
              className="button button-danger button-small"
              disabled={act.pending}
              onClick={() => {
                if (window.confirm(`Remove @${m.username} from ${c.name}?`))
                  act.run(() => api.removeMember(c.slug, m.username));
              }}
            >
              Remove
            </button>
          )}
        </>
      )}
    </li>
  );
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {status === 'active' && !isOwner && <p className="hint">Only owners change roles.</p>}
      <ErrorMessage error={list.error ?? act.error} />
      {list.loading && !list.data ? (
        <Loading lines={2} />
      ) : list.data?.items.length ? (
        <ul className="list">{list.data.items.map(row)}</ul>
      ) : (
        <p className="muted">{status === 'pending' ? 'No requests waiting.' : 'No members.'}</p>
      )}
    </section>
  );
}
