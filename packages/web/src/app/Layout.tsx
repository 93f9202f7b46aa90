import { type ReactNode, useEffect, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { BadgeToast } from '../features/gamification/BadgeToast.tsx';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { HeaderSearch } from '../features/search/HeaderSearch.tsx';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/useAction.ts';
import { navigate, useLocation } from './router.tsx';
import { useSession } from './session.tsx';

/** Header (brand, main links, account), skip link, and the page's main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { me, loading, error, setMe } = useSession();
  const { pathname, href } = useLocation();
  const logout = useAction(async () => {
    await api.logout();
    setMe(null);
    navigate('/');
  });
  const current = (path: string) => (pathname === path ? 'page' : undefined);
  // On narrow screens the links fold into a menu; it closes on every navigation.
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes when the page changes
  useEffect(() => setMenuOpen(false), [href]);
  const next = encodeURIComponent(href);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <a className="brand" href="/">
            <img src="/favicon.svg" alt="" width="24" height="24" />
            Hearth
          </a>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-menu"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            Menu
          </button>
          <div id="site-menu" className={menuOpen ? 'site-menu open' : 'site-menu'}>
            <nav aria-label="Main" className="site-nav">
              {me && (
                <a href="/" aria-current={current('/')}>
                  Home
                </a>
              )}
              <a href="/discover" aria-current={current('/discover') ?? (!me ? current('/') : undefined)}>
                Discover
              </a>
              <a href="/search" aria-current={current('/search')}>
                Search
              </a>
              {me && (
                <a href="/communities/new" aria-current={current('/communities/new')}>
                  New community
                </a>
              )}
              {me && (
                <a href="/partnerships" aria-current={current('/partnerships')}>
                  Partnerships
                </a>
              )}
            </nav>
            <HeaderSearch />
            <nav aria-label="Account" className="site-nav account-nav">
              {loading ? (
                <span className="nav-placeholder" aria-hidden="true" />
              ) : me ? (
                <>
                  <a href="/messages" aria-current={current('/messages')}>
                    Messages
                  </a>
                  <NotificationBell current={pathname === '/notifications'} />
                  <a
                    href={`/u/${me.username}`}
                    aria-current={current(`/u/${me.username}`)}
                    className="me-link"
                  >
                    {me.displayName}
                  </a>
                  {me.isAdmin && (
                    <a href="/moderation" aria-current={current('/moderation')}>
                      Site moderation
                    </a>
                  )}
                  <a href="/settings" aria-current={current('/settings')}>
                    Settings
                  </a>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => logout.run()}
                    disabled={logout.pending}
                  >
                    Log out
                  </button>
                </>
              ) : (
                <>
                  <a href={`/login?next=${next}`} aria-current={current('/login')}>
                    Log in
                  </a>
                  <a
                    className="button button-small"
                    href={`/signup?next=${next}`}
                    aria-current={current('/signup')}
                  >
                    Sign up
                  </a>
                </>
              )}
            </nav>
          </div>
        </div>
        {logout.error || error ? (
          <div className="site-header-inner">
            <ErrorMessage error={logout.error ?? error} />
          </div>
        ) : null}
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Hearth · <a href="/api/docs">API</a>
        </p>
      </footer>
      <BadgeToast />
    </>
  );
}
