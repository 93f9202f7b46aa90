import { type ReactNode, useEffect, useRef } from 'react';
import { Loading } from '../components/Loading.tsx';
import { NotFound } from '../components/NotFound.tsx';
import { LoginPage, SignupPage } from '../features/accounts/AuthPages.tsx';
import { ProfilePage } from '../features/accounts/ProfilePage.tsx';
import { ResetPasswordPage } from '../features/accounts/ResetPasswordPage.tsx';
import { SettingsPage } from '../features/accounts/SettingsPage.tsx';
import { AnalyticsPage } from '../features/analytics/AnalyticsPage.tsx';
import { CommunityPage } from '../features/communities/CommunityPage.tsx';
import { CommunitySettingsPage } from '../features/communities/CommunitySettingsPage.tsx';
import { CreateCommunityPage } from '../features/communities/CreateCommunityPage.tsx';
import { DiscoverPage } from '../features/communities/DiscoverPage.tsx';
import { NewThreadPage } from '../features/content/NewThreadPage.tsx';
import { TagPage } from '../features/content/TagPage.tsx';
import { ThreadPage } from '../features/content/ThreadPage.tsx';
import { CheckInPage } from '../features/events/CheckInPage.tsx';
import { EventFormPage } from '../features/events/EventFormPage.tsx';
import { EventPage } from '../features/events/EventPage.tsx';
import { EventsPage } from '../features/events/EventsPage.tsx';
import { FollowsPage } from '../features/feed/FollowsPage.tsx';
import { HomePage } from '../features/feed/HomePage.tsx';
import { GamificationSettingsPage } from '../features/gamification/GamificationSettingsPage.tsx';
import { LeaderboardPage } from '../features/gamification/LeaderboardPage.tsx';
import { RewardsPage } from '../features/gamification/RewardsPage.tsx';
import { ConversationPage } from '../features/messaging/ConversationPage.tsx';
import { MessagesPage } from '../features/messaging/MessagesPage.tsx';
import { MemberPage } from '../features/moderation/MemberPage.tsx';
import { ModerationPage, SiteModerationPage } from '../features/moderation/ModerationPage.tsx';
import { ModlogPage } from '../features/moderation/ModlogPage.tsx';
import { MyModerationPage } from '../features/moderation/MyModerationPage.tsx';
import { NotesToRatePage } from '../features/moderation/NotesToRatePage.tsx';
import { NotificationSettingsPage } from '../features/notifications/NotificationSettingsPage.tsx';
import { NotificationsPage } from '../features/notifications/NotificationsPage.tsx';
import { UnsubscribePage } from '../features/notifications/UnsubscribePage.tsx';
import { BrandPage, PartnershipsHub } from '../features/partnerships/BrandPages.tsx';
import { CampaignPage } from '../features/partnerships/CampaignPage.tsx';
import { CommunityPartnershipsPage } from '../features/partnerships/CommunityPartnershipsPage.tsx';
import { CreatorPage, CreatorSearchPage } from '../features/partnerships/CreatorPages.tsx';
import { ReportPage } from '../features/partnerships/ReportPage.tsx';
import { ConsentPrompt } from '../features/privacy/ConsentPrompt.tsx';
import { SearchPage } from '../features/search/SearchPage.tsx';
import { Layout } from './Layout.tsx';
import { matchPath, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

type Params = Record<string, string>;
const ROUTES: [string, (p: Params) => ReactNode][] = [
  ['/', () => <Landing />],
  ['/login', () => <LoginPage />],
  ['/signup', () => <SignupPage />],
  ['/settings', () => <SettingsPage />],
  ['/communities/new', () => <CreateCommunityPage />],
  ['/u/:username', (p) => <ProfilePage key={p.username} username={p.username!} />],
  ['/t/:tag', (p) => <TagPage tag={p.tag!} />],
  ['/c/:slug', (p) => <CommunityPage key={p.slug} slug={p.slug!} tab="threads" />],
  ['/c/:slug/about', (p) => <CommunityPage key={p.slug} slug={p.slug!} tab="about" />],
  ['/c/:slug/members', (p) => <CommunityPage key={p.slug} slug={p.slug!} tab="members" />],
  ['/c/:slug/settings', (p) => <CommunitySettingsPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/submit', (p) => <NewThreadPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/t/:id', (p) => <ThreadPage key={p.id} slug={p.slug!} id={Number(p.id)} />],
  // issue 9: partnerships
  ['/partnerships', () => <PartnershipsHub />],
  ['/creator', () => <CreatorPage />],
  ['/brands/:slug', (p) => <BrandPage key={p.slug} slug={p.slug!} />],
  ['/brands/:slug/creators', (p) => <CreatorSearchPage key={p.slug} slug={p.slug!} />],
  ['/campaigns/:id', (p) => <CampaignPage key={p.id} id={Number(p.id)} />],
  ['/campaigns/:id/report', (p) => <ReportPage key={p.id} id={Number(p.id)} />],
  ['/c/:slug/partnerships', (p) => <CommunityPartnershipsPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/events', (p) => <EventsPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/events/new', (p) => <EventFormPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/e/:id', (p) => <EventPage key={p.id} slug={p.slug!} id={Number(p.id)} />],
  ['/c/:slug/e/:id/edit', (p) => <EventFormPage key={p.id} slug={p.slug!} id={Number(p.id)} />],
  ['/c/:slug/e/:id/checkin', (p) => <CheckInPage key={p.id} slug={p.slug!} id={Number(p.id)} />],
  ['/c/:slug/analytics', (p) => <AnalyticsPage key={p.slug} slug={p.slug!} />],
  // issue 5: notifications, direct messages, password reset
  ['/notifications', () => <NotificationsPage />],
  ['/settings/notifications', () => <NotificationSettingsPage />],
  ['/messages', () => <MessagesPage to={queryParam('to') ?? undefined} />],
  ['/messages/:id', (p) => <ConversationPage key={p.id} id={Number(p.id)} />],
  ['/reset-password', () => <ResetPasswordPage token={queryParam('token')} />],
  ['/unsubscribe', () => <UnsubscribePage token={queryParam('token') ?? ''} />],
  // issue 4: home feed, discovery, search, follows and mutes
  ['/discover', () => <DiscoverPage />],
  ['/search', () => <SearchPage />],
  ['/follows', () => <FollowsPage />],
  // issue 6: moderation
  ['/moderation', () => <SiteModerationPage />],
  ['/me/moderation', () => <MyModerationPage />],
  ['/c/:slug/modlog', (p) => <ModlogPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/notes', (p) => <NotesToRatePage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/moderation', (p) => <ModerationPage key={p.slug} slug={p.slug!} section="queue" />],
  ['/c/:slug/moderation/appeals', (p) => <ModerationPage key={p.slug} slug={p.slug!} section="appeals" />],
  ['/c/:slug/moderation/settings', (p) => <ModerationPage key={p.slug} slug={p.slug!} section="settings" />],
  [
    '/c/:slug/members/:username',
    (p) => <MemberPage key={p.username} slug={p.slug!} username={p.username!} />,
  ],
  ['/c/:slug/leaderboard', (p) => <LeaderboardPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/rewards', (p) => <RewardsPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/gamification', (p) => <GamificationSettingsPage key={p.slug} slug={p.slug!} />],
];

const queryParam = (name: string) => new URLSearchParams(window.location.search).get(name);

/** The signed-in landing page is the home feed; visitors get discovery (issue 4). */
function Landing() {
  const { me, loading } = useSession();
  if (loading) return <Loading lines={6} height="24rem" />;
  return me ? <HomePage /> : <DiscoverPage />;
}

function Routes() {
  const { pathname } = useLocation();
  const first = useRef(true);
  // After a navigation, focus moves to the new page's content (keyboard and screen-reader users).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every path change
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, pathname);
    if (params) return <>{render(params)}</>;
  }
  return <NotFound />;
}

export function App() {
  return (
    <SessionProvider>
      <Layout>
        <ConsentPrompt />
        <Routes />
      </Layout>
    </SessionProvider>
  );
}
