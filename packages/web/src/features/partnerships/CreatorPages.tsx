import { type FormEvent, useState } from 'react';
import { useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { type CreatorProfile, type Explanations, partnerships } from './api.ts';
import { CreatorCard, FigureList } from './Figures.tsx';

const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim().replace(/^#/, ''))
    .filter(Boolean);

/** /creator: opt in with a public profile (figures computed by Hearth), and your campaigns and content. */
export function CreatorPage() {
  const { me } = useSession();
  useTitle('Creator profile');
  const mine = useAsync(() => (me ? partnerships.myCreator() : Promise.resolve(null)), [me?.id]);
  const work = useAsync(() => (me ? partnerships.myWork() : Promise.resolve(null)), [me?.id]);
  if (!me) return <SignInPrompt what="manage your creator profile" />;
  if (mine.error) return <ErrorMessage error={mine.error} />;
  if (!mine.data) return <Loading lines={5} height="20rem" />;
  return (
    <div className="stack">
      <h1>Creator profile</h1>
      <ProfileForm
        profile={mine.data.profile}
        explanations={mine.data.explanations}
        onSaved={(p) => {
          mine.setData({ ...mine.data!, profile: p });
          work.reload();
        }}
      />
      <section className="card" aria-labelledby="work-h">
        <h2 id="work-h">Campaigns</h2>
        <ErrorMessage error={work.error} />
        {work.data?.campaigns.length ? (
          <ul className="list">
            {work.data.campaigns.map((c) => (
              <li key={c.id} className="list-row wrap">
                <a className="grow" href={`/campaigns/${c.id}`}>
                  {c.title}
                </a>
                <span className="muted small">{c.brand.name}</span>
                <span className="status">{c.viewer.creatorStatus ?? 'open to applications'}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No invitations or open campaigns.</p>
        )}
        <h3>Your deliverables</h3>
        <ul className="list">
          {(work.data?.deliverables ?? []).map((d) => (
            <li key={d.id} className="list-row">
              <a className="grow" href={`/campaigns/${d.campaignId}`}>
                {d.title || `Comment on thread ${d.threadId}`}
              </a>
              <span className="status">{d.status.replace('_', ' ')}</span>
              <span className="muted small">{formatDate(d.updatedAt)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function ProfileForm({
  profile,
  explanations,
  onSaved,
}: {
  profile: CreatorProfile | null;
  explanations: Explanations;
  onSaved: (p: CreatorProfile | null) => void;
}) {
  const [f, setF] = useState({
    headline: profile?.headline ?? '',
    niches: profile?.niches.join(', ') ?? '',
    communities: profile?.communities.map((c) => c.slug).join(', ') ?? '',
    rate: profile?.rateCents != null ? String(profile.rateCents / 100) : '',
    rateNote: profile?.rateNote ?? '',
  });
  const save = useAction(async () => {
    const r = await partnerships.saveCreator({
      headline: f.headline,
      niches: list(f.niches),
      communities: list(f.communities),
      rateCents: f.rate ? Math.round(Number(f.rate) * 100) : null,
      rateNote: f.rateNote,
    });
    onSaved(r.profile);
  });
  const optOut = useAction(async () => {
    await partnerships.optOut();
    onSaved(null);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.run();
  };
  return (
    <section className="card" aria-labelledby="profile-h">
      <h2 id="profile-h">{profile ? 'Your public profile' : 'Opt in to brand partnerships'}</h2>
      <p className="hint">
        Brands see your profile and the figures Hearth computes from your public contributions; you never type
        them in.
      </p>
      {profile && <FigureList figures={profile.figures} explanations={explanations} />}
      <form className="form" onSubmit={submit} noValidate>
        <label>
          Headline
          <input
            value={f.headline}
            onChange={(e) => setF({ ...f, headline: e.target.value })}
            maxLength={200}
          />
        </label>
        <label>
          Niches (tags, comma-separated)
          <input value={f.niches} onChange={(e) => setF({ ...f, niches: e.target.value })} />
        </label>
        <label>
          Communities (addresses of public communities you belong to)
          <input value={f.communities} onChange={(e) => setF({ ...f, communities: e.target.value })} />
        </label>
        <div className="row wrap">
          <label className="grow">
            Rate
            <input
              inputMode="decimal"
              value={f.rate}
              onChange={(e) => setF({ ...f, rate: e.target.value })}
            />
          </label>
          <label className="grow">
            Rate details
            <input
              value={f.rateNote}
              onChange={(e) => setF({ ...f, rateNote: e.target.value })}
              maxLength={200}
            />
          </label>
        </div>
        <ErrorMessage error={save.error ?? optOut.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.pending}>
            {profile ? 'Save profile' : 'Opt in'}
          </button>
          {profile && (
            <button
              type="button"
              className="button button-secondary"
              disabled={optOut.pending}
              onClick={() => optOut.run()}
            >
              Opt out
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** /brands/:slug/creators: find creators by niche and figures (brand managers). */
export function CreatorSearchPage({ slug }: { slug: string }) {
  const { search } = useLocation();
  const [f, setF] = useState({
    tag: search.get('tag') ?? '',
    community: '',
    minAuthenticity: '',
    minEngagementRate: '',
    minReach: '',
    sort: 'engagement_rate',
  });
  const [query, setQuery] = useState(f);
  useTitle('Find creators');
  const results = useAsync(
    () =>
      partnerships.searchCreators({
        tag: query.tag || undefined,
        community: query.community || undefined,
        minAuthenticity: query.minAuthenticity || undefined,
        minEngagementRate: query.minEngagementRate || undefined,
        minReach: query.minReach || undefined,
        sort: query.sort,
      }),
    [JSON.stringify(query)],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(f);
  };
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/brands/${slug}`}>Brand</a>
      </nav>
      <h1>Find creators</h1>
      <form className="card form" onSubmit={submit} noValidate aria-label="Creator search">
        <div className="row wrap">
          <label className="grow">
            Niche tag
            <input value={f.tag} onChange={set('tag')} />
          </label>
          <label className="grow">
            Community
            <input value={f.community} onChange={set('community')} />
          </label>
          <label className="grow">
            Sort by
            <select value={f.sort} onChange={set('sort')}>
              <option value="engagement_rate">Engagement rate</option>
              <option value="follower_rate">Engagement per follower</option>
              <option value="reach">Reach</option>
              <option value="authenticity">Authenticity</option>
              <option value="sentiment">Sentiment</option>
              <option value="growth">Growth</option>
            </select>
          </label>
        </div>
        <div className="row wrap">
          <label className="grow">
            Minimum authenticity (0–100)
            <input inputMode="numeric" value={f.minAuthenticity} onChange={set('minAuthenticity')} />
          </label>
          <label className="grow">
            Minimum engagement rate
            <input inputMode="decimal" value={f.minEngagementRate} onChange={set('minEngagementRate')} />
          </label>
          <label className="grow">
            Minimum reach
            <input inputMode="numeric" value={f.minReach} onChange={set('minReach')} />
          </label>
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </form>
      <ErrorMessage error={results.error} />
      {results.loading && !results.data ? (
        <Loading lines={4} height="16rem" />
      ) : results.data?.items.length ? (
        <ol className="stack" aria-label="Creators">
          {results.data.items.map((p) => (
            <CreatorCard key={p.user.id} p={p} explanations={results.data!.explanations} />
          ))}
        </ol>
      ) : (
        !results.error && <p className="muted card">No creator matches.</p>
      )}
    </div>
  );
}
