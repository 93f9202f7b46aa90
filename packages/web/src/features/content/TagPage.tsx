import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { api } from '../../lib/api.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { FollowMute } from '../feed/RelationButton.tsx';

/**
 * Where a #tag link leads outside a community (/t/{tag}, the link the server writes into
 * bodies). Tags live inside communities, so this offers each community's list filtered by it.
 */
export function TagPage({ tag }: { tag: string }) {
  useTitle(`#${tag}`);
  const list = useAsync(() => api.communities({ limit: 50 }), []);
  return (
    <section className="stack">
      <div className="row">
        <h1 className="grow">#{tag}</h1>
        <FollowMute kind="tags" name={tag} label={`#${tag}`} />
      </div>
      <p className="muted">
        Follow #{tag} to get its threads in your <a href="/">home feed</a> from every community you can read;
        mute it to keep them out.
      </p>
      <p className="muted">Threads tagged #{tag} in a community:</p>
      <ErrorMessage error={list.error} />
      {list.loading ? (
        <Loading lines={3} />
      ) : (
        <ul className="list">
          {list.data?.items.map((c) => (
            <li key={c.id} className="list-row">
              <a href={`/c/${c.slug}?tag=${encodeURIComponent(tag)}`}>
                {c.name}: #{tag}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
