import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { partnerships } from './api.ts';

/** /c/:slug/partnerships (owners): accept or refuse sponsored content, and decide on campaign requests. */
export function CommunityPartnershipsPage({ slug }: { slug: string }) {
  const { me } = useSession();
  useTitle('Sponsored content');
  const settings = useAsync(() => partnerships.communitySettings(slug), [slug, me?.id]);
  const requests = useAsync(() => partnerships.communityCampaigns(slug), [slug, me?.id]);
  const toggle = useAction(async (allowed: boolean) => {
    settings.setData(await partnerships.saveCommunitySettings(slug, allowed));
    requests.reload();
  });
  const decide = useAction(async (id: number, decision: 'approved' | 'rejected') => {
    await partnerships.decide(slug, id, decision);
    requests.reload();
  });
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${slug}`}>Community</a>
      </nav>
      <h1>Sponsored content</h1>
      <section className="card" aria-labelledby="allow-h">
        <h2 id="allow-h">Campaigns in this community</h2>
        <ErrorMessage error={settings.error ?? toggle.error} />
        {settings.data ? (
          <label className="inline-label">
            <input
              type="checkbox"
              checked={settings.data.sponsoredAllowed}
              disabled={toggle.pending}
              onChange={(e) => toggle.run(e.target.checked)}
            />
            Accept campaign requests and sponsored posts (each campaign still needs your approval)
          </label>
        ) : (
          !settings.error && <Loading lines={1} />
        )}
      </section>
      <section className="card" aria-labelledby="req-h">
        <h2 id="req-h">Campaign requests</h2>
        <ErrorMessage error={requests.error ?? decide.error} />
        {requests.loading && !requests.data ? <Loading lines={2} /> : null}
        <ul className="list">
          {(requests.data?.items ?? []).map((c) => {
            const mine = c.communities.find((x) => x.community.slug === slug);
            return (
              <li key={c.id} className="list-row wrap">
                <span className="grow">
                  <a href={`/campaigns/${c.id}`}>{c.title}</a> by {c.brand.name}{' '}
                  <span className="muted small">
                    {formatDate(c.startsAt)} – {formatDate(c.endsAt)}
                  </span>{' '}
                  <span className="status">{mine?.status}</span>
                </span>
                {mine?.status === 'pending' && (
                  <>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={decide.pending}
                      onClick={() => decide.run(c.id, 'approved')}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      className="button button-danger button-small"
                      disabled={decide.pending}
                      onClick={() => decide.run(c.id, 'rejected')}
                    >
                      Reject
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
        {requests.data?.items.length === 0 && <p className="muted">No requests.</p>}
      </section>
    </div>
  );
}
