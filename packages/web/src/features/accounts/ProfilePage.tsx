import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { FollowMute } from '../feed/RelationButton.tsx';
import { ProfileGamification } from '../gamification/ProfileGamification.tsx';
import { ReportButton } from '../moderation/ReportButton.tsx';

/**
 * A member's public profile: picture, name, bio, interests, and their points, levels and
 * badges in the communities the viewer can see. (No per-member activity list exists in the API yet, so the
 * page does not show one.)
 */
export function ProfilePage({ username }: { username: string }) {
  const { me } = useSession();
  const user = useAsync(() => api.user(username), [username]);
  useTitle(user.data ? `${user.data.displayName} (@${user.data.username})` : username);

  if (user.error instanceof ApiError && user.error.status === 404) return <NotFound what="member" />;
  if (user.error) return <ErrorMessage error={user.error} />;
  if (!user.data) return <Loading label="Loading profile…" lines={4} height="16rem" />;
  const u = user.data;
  const isMe = me?.username === u.username;
  return (
    <article className="profile">
      <header className="profile-head card">
        <Avatar user={u} size={96} />
        <div>
          <h1>{u.displayName}</h1>
          <p className="muted">
            @{u.username} · member since {formatDate(u.createdAt)}
          </p>
          {isMe ? (
            <a className="button button-secondary button-small" href="/settings">
              Edit profile
            </a>
          ) : (
            <div className="row">
              <FollowMute kind="users" name={u.username} label={`@${u.username}`} />
              <ReportButton targetType="user" targetId={u.id} what={`@${u.username}`} />
            </div>
          )}
        </div>
      </header>
      <section className="card" aria-labelledby="bio-h">
        <h2 id="bio-h">About</h2>
        {u.bio ? <p className="bio">{u.bio}</p> : <p className="muted">No bio yet.</p>}
        <h3>Interests</h3>
        {u.interests.length ? (
          <ul className="chips">
            {u.interests.map((t) => (
              <li key={t} className="chip">
                #{t}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No interests listed.</p>
        )}
      </section>
      <ProfileGamification username={u.username} />
    </article>
  );
}
