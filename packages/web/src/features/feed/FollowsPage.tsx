import { type FormEvent, useEffect, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Avatar } from '../../components/Avatar.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { entryName, feedApi, type MuteKind, type Relation, type RelationEntry } from './api.ts';
import { RelationButton } from './RelationButton.tsx';
import { useRelationList } from './social.ts';

const SECTIONS: { rel: Relation; kind: MuteKind; title: string; add: string; empty: string }[] = [
  { rel: 'follows', kind: 'tags', title: 'Tags you follow', add: 'Tag to follow', empty: 'No tags yet.' },
  {
    rel: 'follows',
    kind: 'users',
    title: 'Members you follow',
    add: 'Username to follow',
    empty: 'Nobody yet.',
  },
  { rel: 'mutes', kind: 'users', title: 'Muted members', add: 'Username to mute', empty: 'Nobody.' },
  {
    rel: 'mutes',
    kind: 'communities',
    title: 'Muted communities',
    add: 'Community address to mute',
    empty: 'None.',
  },
  { rel: 'mutes', kind: 'tags', title: 'Muted tags', add: 'Tag to mute', empty: 'None.' },
];

/**
 * Follows shape the home feed (their threads come in, and rank higher); mutes keep members,
 * communities and tags out of it. One page to see and change them all.
 */
export function FollowsPage() {
  useTitle('Follows and mutes');
  const { me, loading } = useSession();
  if (loading) return <Loading lines={6} height="24rem" />;
  if (!me) return <SignInPrompt what="manage what you follow" />;
  return (
    <div className="stack">
      <h1>Follows and mutes</h1>
      <p className="muted">
        What you follow comes to your <a href="/">home feed</a>; what you mute stays out of it.
      </p>
      <div className="follows-grid">
        {SECTIONS.map((s) => (
          <RelationSection key={`${s.rel}-${s.kind}`} {...s} />
        ))}
      </div>
    </div>
  );
}

function labelOf(e: RelationEntry) {
  if ('username' in e) return `@${e.username}`;
  if ('slug' in e) return e.name;
  return `#${e.name}`;
}

function RelationSection({ rel, kind, title, add, empty }: (typeof SECTIONS)[number]) {
  const list = useRelationList(rel, kind);
  const id = `${rel}-${kind}-h`;
  // New entries carry display names from the server: load afresh when the page opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page visit
  useEffect(() => {
    list.reload();
  }, []);
  const [name, setName] = useState('');
  const addOne = useAction(async () => {
    const n = name.trim().replace(/^[@#]/, '');
    if (!n) return;
    await feedApi.relate(rel, kind, n, true);
    setName('');
    await list.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    addOne.run();
  };
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ErrorMessage error={list.error} />
      {!list.ready && !list.error ? (
        <Loading lines={2} height="4rem" />
      ) : list.entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="list">
          {list.entries.map((e) => (
            <li key={entryName(e)} className="list-row">
              {'username' in e && <Avatar user={e} size={28} />}
              <div className="grow min0">
                {'username' in e ? (
                  <a href={`/u/${e.username}`}>{e.displayName}</a>
                ) : 'slug' in e ? (
                  <a href={`/c/${e.slug}`}>{e.name}</a>
                ) : (
                  <a href={`/t/${encodeURIComponent(e.name)}`}>#{e.name}</a>
                )}
                <div className="muted small">since {formatDate(e.since)}</div>
              </div>
              <RelationButton rel={rel} kind={kind} name={entryName(e)} label={labelOf(e)} />
            </li>
          ))}
        </ul>
      )}
      <form className="row add-relation" onSubmit={submit} noValidate>
        <label className="grow">
          <span className="visually-hidden">{add}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={add} aria-label={add} />
        </label>
        <button type="submit" className="button button-secondary button-small" disabled={addOne.pending}>
          {rel === 'follows' ? 'Follow' : 'Mute'}
        </button>
      </form>
      <ErrorMessage error={addOne.error} />
    </section>
  );
}
