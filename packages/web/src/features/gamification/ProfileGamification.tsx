import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAsync } from '../../lib/useAsync.ts';
import { gamification } from './api.ts';
import { BadgePill } from './LevelChip.tsx';

/** The profile's badges area: points, level and badges in each community the viewer can see. */
export function ProfileGamification({ username }: { username: string }) {
  const data = useAsync(() => gamification.profile(username), [username]);
  return (
    <section className="card" aria-labelledby="badges-h">
      <h2 id="badges-h">Points and badges</h2>
      <ErrorMessage error={data.error} />
      {!data.data ? (
        !data.error && <Loading lines={3} height="8rem" />
      ) : data.data.communities.length ? (
        <ul className="profile-cards">
          {data.data.communities.map((c) => (
            <li key={c.community.slug} className="profile-card">
              <h3>
                <a href={`/c/${c.community.slug}/leaderboard`}>{c.community.name}</a>
              </h3>
              <p className="muted small">
                {c.points} points · level {c.level.level}: {c.level.flair ?? c.level.name}
              </p>
              {c.badges.length > 0 && (
                <ul className="chips" aria-label={`Badges in ${c.community.name}`}>
                  {c.badges.map((b) => (
                    <li key={b.id}>
                      <BadgePill name={b.name} tier={b.tier} title={b.description} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No points or badges yet.</p>
      )}
    </section>
  );
}
