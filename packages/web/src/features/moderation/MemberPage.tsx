import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api, type Community } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunityHeader, canModerate } from '../communities/CommunityPage.tsx';
import { FollowMute } from '../feed/RelationButton.tsx';
import { actionLabel, type MemberTrust, modApi } from './api.ts';
import { useCommunity, useViewerAsync } from './community.ts';
import { BAN_DURATIONS, describeStep, MUTE_DURATIONS } from './durations.ts';
import { ReportButton } from './ReportButton.tsx';
import { statRows, trustName } from './trust.ts';

/**
 * A member as their community sees them: profile, trust level (what it unlocks; the numbers
 * behind it for the member and moderators), owners can pin a level, and moderators see the
 * member's moderation record with warn / mute / ban.
 */
export function MemberPage({ slug, username }: { slug: string; username: string }) {
  const { me } = useSession();
  const community = useCommunity(slug);
  const user = useAsync(() => api.user(username), [username]);
  const trust = useViewerAsync(() => modApi.trust(slug, username), [slug, username]);
  const c = community.data;
  useTitle(user.data ? `${user.data.displayName} in ${c?.name ?? slug}` : username);
  const missing = (e: unknown) => e instanceof ApiError && e.status === 404;
  if (missing(community.error)) return <NotFound what="community" />;
  if (missing(user.error) || missing(trust.error)) return <NotFound what="member" />;
  if (community.error || user.error) return <ErrorMessage error={community.error ?? user.error} />;
  if (!c || !user.data) return <Loading lines={6} height="20rem" />;
  const u = user.data;
  const isMe = me?.username === u.username;
  const mod = canModerate(c, me?.isAdmin);
  const owner = !!me?.isAdmin || (c.membership?.status === 'active' && c.membership.role === 'owner');
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="members" onChanged={community.reload} />
      <header className="profile-head card">
        <Avatar user={u} size={64} />
        <div className="grow">
          <h1>{u.displayName}</h1>
          <p className="muted">
            <a href={`/u/${u.username}`}>@{u.username}</a> · on Hearth since {formatDate(u.createdAt)}
          </p>
          {trust.data && (
            <p>
              <span className="badge badge-accent trust-badge">
                Trust level {trust.data.level}: {trustName(trust.data.level)}
              </span>{' '}
              <span className="muted small">
                since {formatDate(trust.data.since)}
                {trust.data.manual && ' (set by an owner)'}
              </span>
            </p>
          )}
        </div>
        {!isMe && (
          <div className="row">
            <FollowMute kind="users" name={u.username} label={`@${u.username}`} />
            <ReportButton targetType="user" targetId={u.id} slug={c.slug} what={`@${u.username}`} />
          </div>
        )}
      </header>
      <ErrorMessage error={trust.error} />
      {trust.data && <TrustPanel c={c} t={trust.data} owner={owner} onChange={trust.setData} />}
      {mod && !isMe && <ModeratorPanel slug={c.slug} userId={u.id} username={u.username} />}
    </div>
  );
}

function TrustPanel({
  c,
  t,
  owner,
  onChange,
}: {
  c: Community;
  t: MemberTrust;
  owner: boolean;
  onChange: (t: MemberTrust) => void;
}) {
  const [level, setLevel] = useState(t.manual ? String(t.level) : '');
  const save = useAction(async () =>
    onChange(await modApi.setTrust(c.slug, t.username, level === '' ? null : Number(level))),
  );
  const u = t.unlocks;
  const unlocks = [
    u.rateContextNotes && 'rates context notes',
    u.writeContextNotes && 'writes context notes',
    u.directMessages && 'sends direct messages',
    u.editWikiPosts && 'edits wiki posts',
  ].filter(Boolean);
  const limits =
    u.maxLinksPerPost == null
      ? null
      : `at most ${u.maxLinksPerPost} links, ${u.maxImagesPerPost} images and ${u.maxMentionsPerPost} mentions per post, ${u.maxPostsPerHour} posts an hour`;
  return (
    <section className="card" aria-labelledby="trust-h">
      <h2 id="trust-h">Trust in {c.name}</h2>
      <p>
        Trust grows from reading, visiting, replying and being liked here. At level {t.level} this member{' '}
        {unlocks.length ? unlocks.join(', ') : 'has the basics'}; reports weigh {u.flagWeight}.
        {limits && ` New-member limits apply: ${limits}.`}
      </p>
      {t.stats && (
        <dl className="stats">
          {statRows(t.stats).map(([label, n]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{n}</dd>
            </div>
          ))}
        </dl>
      )}
      {owner && (
        <form
          className="row"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            save.run();
          }}
        >
          <label className="inline-label">
            Level&nbsp;
            <select value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">From activity</option>
              {[0, 1, 2, 3, 4].map((l) => (
                <option key={l} value={l}>
                  {l}: {trustName(l)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button-secondary button-small" disabled={save.pending}>
            Set level
          </button>
          <ErrorMessage error={save.error} />
        </form>
      )}
    </section>
  );
}

function ModeratorPanel({ slug, userId, username }: { slug: string; userId: number; username: string }) {
  const record = useAsync(() => modApi.memberRecord(slug, username), [slug, username]);
  const [reason, setReason] = useState('');
  const [mute, setMute] = useState<number | null>(null);
  const [ban, setBan] = useState<number | null>(168);
  const [done, setDone] = useState('');
  const act = useAction(async (action: 'warn' | 'mute' | 'ban') => {
    const durationHours = action === 'mute' ? (mute ?? undefined) : action === 'ban' ? ban : undefined;
    await modApi.actOn(slug, {
      action,
      reason: reason.trim(),
      targetType: 'user',
      targetId: userId,
      ...(durationHours !== undefined && { durationHours }),
    });
    setReason('');
    setDone(`${actionLabel(action)}.`);
    record.reload();
  });
  const lift = useAction(async (id: number) => {
    await modApi.revoke(id, 'Lifted early');
    record.reload();
  });
  const r = record.data;
  return (
    <section className="card" aria-labelledby="record-h">
      <h2 id="record-h">Moderation record</h2>
      <ErrorMessage error={record.error} />
      {!r ? (
        !record.error && <Loading lines={2} />
      ) : (
        <>
          <p>
            {r.activeSanction ? (
              <>
                <strong>{actionLabel(r.activeSanction.kind)}</strong>
                {r.activeSanction.expiresAt
                  ? ` until ${formatDate(r.activeSanction.expiresAt)}`
                  : ' permanently'}
                .{' '}
                <button
                  type="button"
                  className="link-button"
                  disabled={lift.pending}
                  onClick={() => lift.run(r.activeSanction!.id)}
                >
                  Lift now
                </button>
              </>
            ) : (
              'No sanction in force.'
            )}{' '}
            <span className="suggested">Suggested next step: {describeStep(r.suggested)}.</span>
          </p>
          {r.history.length > 0 && (
            <ul className="list small">
              {r.history.map((h) => (
                <li key={h.id} className="list-row wrap">
                  <span>{formatDate(h.createdAt)}</span>
                  <strong>{actionLabel(h.action)}</strong>
                  <span className="grow">
                    {h.rule && `Rule ${h.rule.number}. `}
                    {h.reason}
                  </span>
                  {h.moderator && <span className="muted">@{h.moderator}</span>}
                  {h.revoked && <span className="badge">lifted</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className="form">
        <label>
          <span>
            Reason <span className="muted">(the member sees it)</span>
          </span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
        </label>
        <div className="row">
          <label className="inline-label">
            Mute&nbsp;
            <select
              value={mute ?? ''}
              onChange={(e) => setMute(e.target.value ? Number(e.target.value) : null)}
            >
              {MUTE_DURATIONS.map(([h, l]) => (
                <option key={l} value={h ?? ''}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-label">
            Ban&nbsp;
            <select
              value={ban ?? ''}
              onChange={(e) => setBan(e.target.value ? Number(e.target.value) : null)}
            >
              {BAN_DURATIONS.map(([h, l]) => (
                <option key={l} value={h ?? ''}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="actions">
          {(['warn', 'mute', 'ban'] as const).map((a) => (
            <button
              key={a}
              type="button"
              className={`button button-small ${a === 'ban' ? 'button-danger' : 'button-secondary'}`}
              disabled={act.pending}
              onClick={() => act.run(a)}
            >
              {a === 'warn' ? 'Warn' : a === 'mute' ? 'Mute' : 'Ban'}
            </button>
          ))}
          <output className="ok-text">{done}</output>
        </div>
        <ErrorMessage error={act.error ?? lift.error} />
      </div>
    </section>
  );
}
