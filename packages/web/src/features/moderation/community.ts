import { useSession } from '../../app/session.tsx';
import { api, type Community } from '../../lib/api.ts';
import { type Async, useAsync } from '../../lib/useAsync.ts';

const never = new Promise<never>(() => {});

/**
 * Loads something that depends on who is signed in only once the session is known, so a
 * page opened directly does not load twice and flash back to its placeholder.
 */
export function useViewerAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const { me, loading } = useSession();
  return useAsync(() => (loading ? never : load()), [...deps, me?.id, loading]);
}

/** The community of a page under /c/{slug}, as the viewer sees it (membership included). */
export const useCommunity = (slug: string): Async<Community> =>
  useViewerAsync(() => api.community(slug), [slug]);
