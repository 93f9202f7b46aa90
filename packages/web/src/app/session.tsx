import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, type Me } from '../lib/api.ts';

/** Who is signed in, loaded once at start (GET /me) and updated by log-in, sign-up, log-out, profile edits. */
interface Session {
  me: Me | null;
  /** True until the first /me answer: pages wait instead of flashing "Log in". */
  loading: boolean;
  /** Set when /me failed for another reason than "not signed in" (server unreachable). */
  error: unknown;
  setMe: (me: Me | null) => void;
}

const SessionContext = createContext<Session>({ me: null, loading: true, error: null, setMe: () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.me().then(
      (m) => {
        setMeState(m);
        setLoading(false);
      },
      (err: unknown) => {
        if (!(err instanceof ApiError && err.status === 401)) setError(err);
        setLoading(false);
      },
    );
  }, []);
  const setMe = useCallback((m: Me | null) => {
    setMeState(m);
    setError(null);
  }, []);
  const value = useMemo(() => ({ me, loading, error, setMe }), [me, loading, error, setMe]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = (): Session => useContext(SessionContext);
