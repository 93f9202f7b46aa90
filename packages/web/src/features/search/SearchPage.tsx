import { type FormEvent, useState } from 'react';
import { navigate, useLocation } from '../../app/router.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { Page } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { toQuery } from '../../lib/query.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { type SearchHit, type SearchQuery, type SearchType, searchApi } from './api.ts';
import { Highlighted } from './highlight.tsx';

const TYPES: [SearchType, string][] = [
  ['threads', 'Threads'],
  ['comments', 'Comments'],
  ['communities', 'Communities'],
  ['members', 'Members'],
];
const FILTERS = ['community', 'author', 'tag', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

/** The search as the URL says it: /search?q=kiln&type=threads&community=…&from=2026-01-01. */
export function readSearch(search: URLSearchParams): SearchQuery {
  const type = TYPES.find(([t]) => t === search.get('type'))?.[0] ?? 'threads';
  const perThread = type === 'threads' || type === 'comments';
  const q: SearchQuery = { q: (search.get('q') ?? '').trim(), type };
  if (search.get('sort') === 'new') q.sort = 'new';
  // Community, author and tag filter threads and comments only (the API refuses them otherwise).
  for (const f of FILTERS) {
    const v = search.get(f)?.trim();
    if (v && (perThread || f === 'from' || f === 'to')) q[f] = v;
  }
  return q;
}

export const searchHref = (q: SearchQuery) =>
  `/search${toQuery({ ...q, type: q.type === 'threads' ? undefined : q.type })}`;

/**
 * Search over threads, comments, communities and members, with filters (community, author,
 * tag, dates) and the matching words highlighted. Only what the viewer may read comes back:
 * the server filters private communities out for non-members.
 */
export function SearchPage() {
  const { search } = useLocation();
  const query = readSearch(search);
  const key = searchHref(query);
  useTitle(query.q ? `Search: ${query.q}` : 'Search');
  return (
    <div className="stack search-page">
      <h1>Search</h1>
      <SearchForm key={key} query={query} />
      {query.q ? (
        <Results key={`r${key}`} query={query} />
      ) : (
        <p className="muted">Type a few words to search.</p>
      )}
    </div>
  );
}

function SearchForm({ query }: { query: SearchQuery }) {
  const [form, setForm] = useState<SearchQuery>(query);
  const [open, setOpen] = useState(FILTERS.some((f) => query[f]));
  const perThread = form.type === 'threads' || form.type === 'comments';
  const set = (k: keyof SearchQuery) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.q.trim()) return;
    navigate(searchHref(readSearch(new URLSearchParams(toQuery(form)))));
  };
  const filterLabel: Record<Filter, string> = {
    community: 'Community (address)',
    author: 'Author (username)',
    tag: 'Tag',
    from: 'From',
    to: 'To',
  };
  return (
    <search className="card search-box">
      <form className="form search-form" onSubmit={submit} noValidate>
        <div className="search-row">
          <label className="grow">
            <span className="visually-hidden">Search for</span>
            <input
              type="search"
              name="q"
              value={form.q}
              onChange={set('q')}
              placeholder="Words to find"
              maxLength={200}
              aria-label="Search for"
            />
          </label>
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <fieldset className="search-types">
          <legend className="visually-hidden">What to search</legend>
          {TYPES.map(([t, label]) => (
            <label key={t} className="radio">
              <input
                type="radio"
                name="type"
                value={t}
                checked={form.type === t}
                onChange={() => setForm((f) => ({ ...f, type: t }))}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          className="link-button"
          aria-expanded={open}
          aria-controls="search-filters"
          onClick={() => setOpen(!open)}
        >
          {open ? 'Hide filters' : 'Filters'}
        </button>
        {open && (
          <div id="search-filters" className="search-filters">
            {FILTERS.map((f) => {
              const applies = perThread || f === 'from' || f === 'to';
              return (
                <label key={f}>
                  {filterLabel[f]}
                  <input
                    type={f === 'from' || f === 'to' ? 'date' : 'text'}
                    value={form[f] ?? ''}
                    onChange={set(f)}
                    disabled={!applies}
                    aria-describedby={applies ? undefined : 'filters-hint'}
                  />
                </label>
              );
            })}
            <label>
              Order
              <select
                value={form.sort ?? 'relevance'}
                onChange={(e) =>
                  setForm((f) => ({ ...f, sort: e.target.value === 'new' ? 'new' : undefined }))
                }
              >
                <option value="relevance">Best match</option>
                <option value="new">Newest first</option>
              </select>
            </label>
            {!perThread && (
              <p id="filters-hint" className="hint">
                Community, author and tag filter threads and comments.
              </p>
            )}
          </div>
        )}
      </form>
    </search>
  );
}

function Results({ query }: { query: SearchQuery }) {
  const first = useAsync(() => searchApi.search({ ...query, limit: 20 }), []);
  const [more, setMore] = useState<Page<SearchHit>[]>([]);
  const nextCursor = more.length ? more[more.length - 1]!.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await searchApi.search({ ...query, limit: 20, cursor: nextCursor });
    setMore((m) => [...m, page]);
  });
  const items = [...(first.data?.items ?? []), ...more.flatMap((p) => p.items)];
  return (
    <section aria-labelledby="results-h" className="search-results">
      <h2 id="results-h" className="visually-hidden">
        Results
      </h2>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading label="Searching…" lines={4} height="16rem" />
      ) : (
        <>
          {items.length === 0 && !first.error && (
            <output className="empty card muted block">
              No results for “{query.q}”. Try fewer or other words.
            </output>
          )}
          <ol className="hits">
            {items.map((h) => (
              <Hit key={`${h.type}${h.id}`} h={h} />
            ))}
          </ol>
          {nextCursor && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => loadMore.run()}
              disabled={loadMore.pending}
            >
              {loadMore.pending ? 'Loading…' : 'More results'}
            </button>
          )}
          <ErrorMessage error={loadMore.error} />
        </>
      )}
    </section>
  );
}

function hitLink(h: SearchHit): string {
  const slug = h.community?.slug ?? '';
  if (h.type === 'thread') return `/c/${slug}/t/${h.id}`;
  if (h.type === 'comment') return `/c/${slug}/t/${h.threadId}#comment-${h.id}`;
  if (h.type === 'community') return `/c/${slug}`;
  return `/u/${h.author?.username ?? ''}`;
}

function Hit({ h }: { h: SearchHit }) {
  const url = hitLink(h);
  const kind = { thread: 'Thread', comment: 'Comment', community: 'Community', member: 'Member' }[h.type];
  return (
    <li className="hit card">
      <h3>
        <a href={url}>
          {h.type === 'comment' && <span className="muted">Comment in </span>}
          {h.titleHtml ? <Highlighted html={h.titleHtml} /> : (h.title ?? h.author?.displayName ?? kind)}
        </a>
      </h3>
      {h.snippetHtml && (
        <p className="snippet">
          <Highlighted html={h.snippetHtml} />
        </p>
      )}
      <p className="meta">
        <span className="badge">{kind}</span>
        {h.community && h.type !== 'community' && <a href={`/c/${h.community.slug}`}>{h.community.name}</a>}
        {h.author && (
          <>
            <Avatar user={h.author} size={20} />
            <a href={`/u/${h.author.username}`}>{h.author.displayName}</a>
          </>
        )}
        <time dateTime={h.createdAt}>{formatDate(h.createdAt)}</time>
      </p>
    </li>
  );
}
