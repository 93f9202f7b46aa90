import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (update: T | ((prev: T | undefined) => T)) => void;
}

/**
 * Runs a loader when its dependencies change and keeps { data, error, loading }.
 * An answer that arrives after the dependencies changed again is dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ data: tick > 0 ? s.data : undefined, error: null, loading: true }));
    load().then(
      (data) => {
        if (generation.current === mine) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (generation.current === mine) setState({ data: undefined, error, loading: false });
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((update: T | ((prev: T | undefined) => T)) => {
    setState((s) => ({
      ...s,
      data: typeof update === 'function' ? (update as (p: T | undefined) => T)(s.data) : update,
    }));
  }, []);
  return { ...state, reload, setData };
}

/** Sets the document title while a page is shown. */
export function useTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Hearth` : 'Hearth';
  }, [title]);
}
