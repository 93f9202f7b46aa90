import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError } from '../../lib/api.ts';
import { useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { CommunityHeader, canModerate } from '../communities/CommunityPage.tsx';
import { AppealsList } from './Appeals.tsx';
import { useCommunity } from './community.ts';
import { ModerationSettings } from './ModerationSettings.tsx';
import { ReviewQueue } from './ReviewQueue.tsx';

export type ModSection = 'queue' | 'appeals' | 'settings';
const SECTIONS: [ModSection, string, string][] = [
  ['queue', 'Review queue', ''],
  ['appeals', 'Appeals', '/appeals'],
  ['settings', 'Automod and trust', '/settings'],
];

/** A community's moderation: the review queue, appeals, automatic moderation and trust settings. */
export function ModerationPage({ slug, section }: { slug: string; section: ModSection }) {
  const { me, loading } = useSession();
  const community = useCommunity(slug);
  const c = community.data;
  useTitle(c ? `Moderation · ${c.name}` : 'Moderation');
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="moderate" />;
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  const base = `/c/${c.slug}/moderation`;
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="moderation" onChanged={community.reload} />
      {!canModerate(c, me.isAdmin) ? (
        <p className="notice">Only moderators and owners of {c.name} can moderate it.</p>
      ) : (
        <>
          <nav aria-label="Moderation sections" className="segmented">
            {SECTIONS.map(([key, label, path]) => (
              <a key={key} href={`${base}${path}`} aria-current={section === key ? 'true' : undefined}>
                {label}
              </a>
            ))}
          </nav>
          {section === 'queue' && <ReviewQueue slug={c.slug} />}
          {section === 'appeals' && <AppealsList slug={c.slug} />}
          {section === 'settings' && <ModerationSettings c={c} />}
        </>
      )}
    </div>
  );
}

/** Site administrators: profile reports and escalations from every community, and appeals of suspensions. */
export function SiteModerationPage() {
  useTitle('Site moderation');
  const { me, loading } = useSession();
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="moderate" />;
  if (!me.isAdmin) return <p className="notice">Only site administrators can see the site queue.</p>;
  return (
    <div className="stack">
      <h1>Site moderation</h1>
      <ReviewQueue slug={null} />
      <AppealsList slug={null} />
    </div>
  );
}
