import { type FormEvent, useEffect, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { parseTags } from '../../lib/mentions.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunityHeader, canModerate } from '../communities/CommunityPage.tsx';
import { type CommunityBadge, gamification, REASONS, type Reason, type Settings } from './api.ts';
import { BadgePill } from './LevelChip.tsx';

const REASON_LABEL: Record<Reason, string> = {
  thread_created: 'Starting a thread',
  comment_created: 'Writing a comment',
  reaction_received: 'A reaction received',
  accepted_answer: 'An accepted answer',
  helpful_note: 'A context note rated helpful',
  event_attended: 'Attending an event',
  daily_visit: 'A daily visit',
};

/** For moderators: point weights and daily caps, levels and their perks, badges, the log. */
export function GamificationSettingsPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const c = community.data;
  useTitle(c ? `Gamification · ${c.name}` : 'Gamification');
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="settings" onChanged={community.reload} />
      {!canModerate(c, me?.isAdmin) ? (
        <p className="notice">Only moderators and owners of {c.name} can change how points are earned.</p>
      ) : (
        <>
          <PointsAndLevels slug={slug} />
          <Badges slug={slug} />
          <Log slug={slug} />
        </>
      )}
    </div>
  );
}

type LevelRow = { name: string; minPoints: string; flair: string; tags: string; early: string };

function PointsAndLevels({ slug }: { slug: string }) {
  const loaded = useAsync(() => gamification.settings(slug), [slug]);
  const [weights, setWeights] = useState<Record<string, string>>({});
  const [caps, setCaps] = useState<Record<string, string>>({});
  const [levels, setLevels] = useState<LevelRow[]>([]);
  const [saved, setSaved] = useState(false);
  const fill = (s: Settings) => {
    setWeights(Object.fromEntries(REASONS.map((r) => [r, String(s.weights[r])])));
    setCaps(
      Object.fromEntries(REASONS.map((r) => [r, s.dailyCaps[r] === null ? '' : String(s.dailyCaps[r])])),
    );
    setLevels(
      s.levels.map((l) => ({
        name: l.name,
        minPoints: String(l.minPoints),
        flair: l.perks.flair ?? '',
        tags: l.perks.tags.join(', '),
        early: String(l.perks.earlyEventAccessHours),
      })),
    );
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: fills the form once the settings arrive
  useEffect(() => {
    if (loaded.data) fill(loaded.data);
  }, [loaded.data]);
  const save = useAction(async () => {
    const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
    const next = await gamification.saveSettings(slug, {
      weights: Object.fromEntries(REASONS.map((r) => [r, num(weights[r] ?? '')])) as Settings['weights'],
      dailyCaps: Object.fromEntries(
        REASONS.map((r) => [r, (caps[r] ?? '').trim() === '' ? null : Number(caps[r])]),
      ) as Settings['dailyCaps'],
      levels: levels.map((l) => {
        const tags = parseTags(l.tags);
        return {
          name: l.name,
          minPoints: num(l.minPoints),
          perks: {
            flair: l.flair.trim() || null,
            tags: [...tags.tags, ...tags.invalid],
            earlyEventAccessHours: Number(l.early || 0),
          },
        };
      }),
    });
    fill(next);
    setSaved(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.run();
  };
  const setLevel = (i: number, k: keyof LevelRow, v: string) =>
    setLevels((ls) => ls.map((l, j) => (j === i ? { ...l, [k]: v } : l)));
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!loaded.data) return <Loading lines={8} height="30rem" />;
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Points and levels">
      <section className="card" aria-labelledby="weights-h">
        <h2 id="weights-h">Points</h2>
        <p className="muted small">
          Points per action, and the most a member can earn from it in a day (empty: no cap). Nobody earns
          from their own content, from removed content, or from a member they trade reactions with in a ring.
        </p>
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Earned for</th>
              <th scope="col">Points</th>
              <th scope="col">Daily cap</th>
            </tr>
          </thead>
          <tbody>
            {REASONS.map((r) => (
              <tr key={r}>
                <th scope="row">{REASON_LABEL[r]}</th>
                <td>
                  <input
                    aria-label={`Points for ${REASON_LABEL[r].toLowerCase()}`}
                    type="number"
                    min={0}
                    inputMode="numeric"
                    value={weights[r] ?? ''}
                    onChange={(e) => setWeights({ ...weights, [r]: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Daily cap for ${REASON_LABEL[r].toLowerCase()}`}
                    type="number"
                    min={0}
                    inputMode="numeric"
                    value={caps[r] ?? ''}
                    onChange={(e) => setCaps({ ...caps, [r]: e.target.value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="levels-h">
        <h2 id="levels-h">Levels</h2>
        <p className="muted small">
          Names and thresholds are yours. Flair shows next to members' names; tags open a members-only corner:
          only members from that level write threads with those tags (everyone can still read them).
        </p>
        <ol className="level-rows">
          {levels.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
            <li key={i} className="level-row">
              <span className="rank">{i + 1}</span>
              <label>
                Name
                <input value={l.name} maxLength={40} onChange={(e) => setLevel(i, 'name', e.target.value)} />
              </label>
              <label>
                From points
                <input
                  type="number"
                  min={0}
                  inputMode="numeric"
                  value={l.minPoints}
                  onChange={(e) => setLevel(i, 'minPoints', e.target.value)}
                />
              </label>
              <label>
                Flair
                <input
                  value={l.flair}
                  maxLength={24}
                  onChange={(e) => setLevel(i, 'flair', e.target.value)}
                />
              </label>
              <label>
                Members-only tags
                <input value={l.tags} onChange={(e) => setLevel(i, 'tags', e.target.value)} />
              </label>
              <label>
                Early event access (hours)
                <input
                  type="number"
                  min={0}
                  inputMode="numeric"
                  value={l.early}
                  onChange={(e) => setLevel(i, 'early', e.target.value)}
                />
              </label>
              {levels.length > 1 && (
                <button
                  type="button"
                  className="link-button danger"
                  onClick={() => setLevels((ls) => ls.filter((_, j) => j !== i))}
                >
                  Remove level {i + 1}
                </button>
              )}
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() =>
            setLevels((ls) => [
              ...ls,
              {
                name: '',
                minPoints: String(Number(ls[ls.length - 1]?.minPoints ?? 0) * 2 || 10),
                flair: '',
                tags: '',
                early: '0',
              },
            ])
          }
        >
          Add a level
        </button>
      </section>
      <ErrorMessage error={save.error} />
      <output className="ok-text">{saved ? 'Saved.' : ''}</output>
      <div className="row">
        <button type="submit" className="button" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save points and levels'}
        </button>
      </div>
    </form>
  );
}

function Badges({ slug }: { slug: string }) {
  const list = useAsync(() => gamification.badges(slug), [slug]);
  const [grant, setGrant] = useState({ username: '', badgeId: '', reason: '' });
  const [done, setDone] = useState('');
  const toggle = useAction(async (b: CommunityBadge) => {
    const updated = await gamification.updateBadge(slug, b.id, { enabled: !b.enabled });
    list.setData((l) => ({ items: (l?.items ?? []).map((x) => (x.id === b.id ? updated : x)) }));
  });
  const act = useAction(async (kind: 'grant' | 'revoke') => {
    const id = Number(grant.badgeId);
    const name = list.data?.items.find((b) => b.id === id)?.name ?? 'badge';
    const who = grant.username.trim().replace(/^@/, '');
    if (kind === 'grant') await gamification.grant(slug, who, id, grant.reason);
    else await gamification.revoke(slug, who, id, grant.reason);
    setDone(kind === 'grant' ? `Granted “${name}” to @${who}.` : `Revoked “${name}” from @${who}.`);
    list.reload();
  });
  const submit = (e: FormEvent, kind: 'grant' | 'revoke') => {
    e.preventDefault();
    setDone('');
    act.run(kind);
  };
  return (
    <section className="card" aria-labelledby="badges-h">
      <h2 id="badges-h">Badges</h2>
      <ErrorMessage error={list.error ?? toggle.error} />
      {!list.data ? (
        <Loading lines={5} />
      ) : (
        <ul className="list badge-admin">
          {list.data.items.map((b) => (
            <li key={b.id} className="list-row">
              <div className="grow">
                <BadgePill name={b.name} tier={b.tier} /> <span className="muted small">{b.description}</span>
                <div className="muted small">
                  {b.rule.kind === 'manual'
                    ? 'Granted by moderators'
                    : `Rule: ${b.rule.kind}${b.rule.threshold ? ` ≥ ${b.rule.threshold}` : ''}`}{' '}
                  · {b.holders} {b.holders === 1 ? 'holder' : 'holders'}
                  {!b.enabled && ' · disabled'}
                </div>
              </div>
              <button
                type="button"
                className="link-button"
                disabled={toggle.pending}
                onClick={() => toggle.run(b)}
              >
                {b.enabled ? 'Disable' : 'Enable'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Grant or revoke by hand</h3>
      <form className="form" onSubmit={(e) => submit(e, 'grant')} noValidate>
        <div className="form-grid">
          <label>
            Member
            <input
              value={grant.username}
              onChange={(e) => setGrant({ ...grant, username: e.target.value })}
              placeholder="username"
            />
          </label>
          <label>
            Badge
            <select value={grant.badgeId} onChange={(e) => setGrant({ ...grant, badgeId: e.target.value })}>
              <option value="">Choose a badge</option>
              {list.data?.items.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name} ({b.tier})
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason (logged)
            <input
              value={grant.reason}
              maxLength={300}
              onChange={(e) => setGrant({ ...grant, reason: e.target.value })}
            />
          </label>
        </div>
        <ErrorMessage error={act.error} />
        <output className="ok-text">{done}</output>
        <div className="row">
          <button type="submit" className="button" disabled={act.pending}>
            Grant badge
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={act.pending}
            onClick={(e) => submit(e, 'revoke')}
          >
            Revoke badge
          </button>
        </div>
      </form>
    </section>
  );
}

function Log({ slug }: { slug: string }) {
  const log = useAsync(() => gamification.log(slug), [slug]);
  return (
    <section className="card" aria-labelledby="log-h">
      <h2 id="log-h">Log</h2>
      <ErrorMessage error={log.error} />
      {!log.data ? (
        <Loading lines={3} />
      ) : log.data.items.length ? (
        <ul className="list">
          {log.data.items.map((e) => (
            <li key={e.id} className="list-row">
              <span className="muted small">{formatDate(e.createdAt)}</span>
              <span className="grow">
                @{e.actor ?? 'someone'} {e.action.replace('_', ' ')} {e.badge ?? e.reward ?? ''}
                {e.target && ` · @${e.target}`}
                {e.reason && <span className="muted"> — {e.reason}</span>}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing yet.</p>
      )}
    </section>
  );
}
