import { type ReactNode, useEffect, useRef } from 'react';
import { NotFound } from '../components/NotFound.tsx';
import { LoginPage, SignupPage } from '../features/accounts/AuthPages.tsx';
import { ProfilePage } from '../features/accounts/ProfilePage.tsx';
import { SettingsPage } from '../features/accounts/SettingsPage.tsx';
import { CommunityPage } from '../features/communities/CommunityPage.tsx';
import { CommunitySettingsPage } from '../features/communities/CommunitySettingsPage.tsx';
import { CreateCommunityPage } from '../features/communities/CreateCommunityPage.tsx';
import { DiscoverPage } from '../features/communities/DiscoverPage.tsx';
import { NewThreadPage } from '../features/content/NewThreadPage.tsx';
import { TagPage } from '../features/content/TagPage.tsx';
import { ThreadPage } from '../features/content/ThreadPage.tsx';
import { GamificationSettingsPage } from '../features/gamification/GamificationSettingsPage.tsx';
import { LeaderboardPage } from '../features/gamification/LeaderboardPage.tsx';
import { RewardsPage } from '../features/gamification/RewardsPage.tsx';
import { Layout } from './Layout.tsx';
import { matchPath, useLocation } from './router.tsx';
import { SessionProvider } from './session.tsx';

type Params = Record<string, string>;
const ROUTES: [string, (p: Params) => ReactNode][] = [
  ['/', () => <DiscoverPage />],
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
  ['/c/:slug/leaderboard', (p) => <LeaderboardPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/rewards', (p) => <RewardsPage key={p.slug} slug={p.slug!} />],
  ['/c/:slug/gamification', (p) => <GamificationSettingsPage key={p.slug} slug={p.slug!} />],
];

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
        <Routes />
      </Layout>
    </SessionProvider>
  );
}
