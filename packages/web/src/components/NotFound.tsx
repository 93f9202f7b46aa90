import { useTitle } from '../lib/useAsync.ts';

/** Shown for unknown paths and for anything the API answers 404 to (private communities included). */
export function NotFound({ what = 'page' }: { what?: string }) {
  useTitle('Not found');
  return (
    <section className="not-found">
      <h1>Not found</h1>
      <p>
        This {what} does not exist, or you cannot see it. <a href="/">Back to communities</a>
      </p>
    </section>
  );
}
