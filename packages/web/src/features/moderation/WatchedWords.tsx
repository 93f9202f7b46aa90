import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { modApi, type TestResult, type WatchedWord, type WordAction } from './api.ts';

export const WORD_ACTIONS: [WordAction, string, string][] = [
  ['block', 'Block', 'refuse the post'],
  ['require_approval', 'Require approval', 'hold it for a moderator'],
  ['flag', 'Flag', 'publish, and add it to the review queue'],
  ['censor', 'Censor', 'replace the word'],
];
const actionName = (a: string) => WORD_ACTIONS.find(([k]) => k === a)?.[1] ?? a;

/** Watched words and patterns: what automatic moderation does when a post contains one. */
export function WatchedWords({ slug }: { slug: string }) {
  const list = useAsync(() => modApi.words(slug), [slug]);
  const [form, setForm] = useState({
    pattern: '',
    action: 'require_approval' as WordAction,
    regex: false,
    wholeWord: true,
    replacement: '',
  });
  const add = useAction(async () => {
    const w = await modApi.addWord(slug, {
      pattern: form.pattern,
      action: form.action,
      regex: form.regex,
      wholeWord: form.wholeWord,
      ...(form.action === 'censor' && form.replacement && { replacement: form.replacement }),
    });
    list.setData((d) => ({ items: [...(d?.items ?? []), w] }));
    setForm((f) => ({ ...f, pattern: '', replacement: '' }));
  });
  const remove = useAction(async (w: WatchedWord) => {
    await modApi.removeWord(slug, w.id);
    list.setData((d) => ({ items: (d?.items ?? []).filter((x) => x.id !== w.id) }));
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.run();
  };
  return (
    <section className="card" aria-labelledby="words-h">
      <h2 id="words-h">Watched words</h2>
      <p className="muted small">
        Checked on every new thread, comment and edit by members (moderators are not checked). Edits are never
        held: a word that would hold a post flags the edit instead.
      </p>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading lines={2} height="4rem" />
      ) : list.data?.items.length === 0 ? (
        <p className="muted">No watched words yet.</p>
      ) : (
        <ul className="list">
          {list.data?.items.map((w) => (
            <li key={w.id} className="list-row wrap">
              <code className="grow">{w.regex ? `/${w.pattern}/` : w.pattern}</code>
              <span className="badge">{actionName(w.action)}</span>
              {w.wholeWord && <span className="badge">whole word</span>}
              {w.replacement && <span className="small muted">→ {w.replacement}</span>}
              <button
                type="button"
                className="link-button danger"
                disabled={remove.pending}
                aria-label={`Stop watching ${w.pattern}`}
                onClick={() => remove.run(w)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={remove.error} />
      <form className="form" onSubmit={submit} noValidate aria-label="Watch a word">
        <div className="form-grid">
          <label>
            Word or pattern
            <input
              value={form.pattern}
              maxLength={200}
              onChange={(e) => setForm((f) => ({ ...f, pattern: e.target.value }))}
              placeholder="e.g. crypto*"
            />
          </label>
          <label>
            When found
            <select
              value={form.action}
              onChange={(e) => setForm((f) => ({ ...f, action: e.target.value as WordAction }))}
            >
              {WORD_ACTIONS.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
            <span className="hint">{WORD_ACTIONS.find(([k]) => k === form.action)?.[2]}</span>
          </label>
          {form.action === 'censor' && (
            <label>
              <span>
                Shown instead <span className="muted">(default ■ per letter)</span>
              </span>
              <input
                value={form.replacement}
                maxLength={64}
                onChange={(e) => setForm((f) => ({ ...f, replacement: e.target.value }))}
              />
            </label>
          )}
        </div>
        <div className="row">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.regex}
              onChange={(e) =>
                setForm((f) => ({ ...f, regex: e.target.checked, wholeWord: !e.target.checked }))
              }
            />
            Regular expression
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.wholeWord}
              onChange={(e) => setForm((f) => ({ ...f, wholeWord: e.target.checked }))}
            />
            Whole words only
          </label>
        </div>
        <p className="hint">A * in a word matches any letters (“spam*” finds “spammers”).</p>
        <ErrorMessage error={add.error} />
        <div>
          <button type="submit" className="button" disabled={add.pending}>
            Watch
          </button>
        </div>
      </form>
    </section>
  );
}

/** Try a text against the watched words and the spam score without posting it. */
export function TestText({ slug }: { slug: string }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<TestResult | null>(null);
  const test = useAction(async () => setResult(await modApi.testText(slug, text)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    test.run();
  };
  const names = (ws: WatchedWord[]) => ws.map((w) => w.pattern).join(', ');
  return (
    <section className="card" aria-labelledby="test-h">
      <h2 id="test-h">Test a text</h2>
      <form className="form" onSubmit={submit} noValidate>
        <label>
          Text
          <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} maxLength={50_000} />
        </label>
        <ErrorMessage error={test.error} />
        <div>
          <button type="submit" className="button button-secondary" disabled={test.pending || !text.trim()}>
            Test
          </button>
        </div>
      </form>
      {result && (
        <output className="test-result block" aria-live="polite">
          <p>
            {result.blockedBy ? (
              <strong className="error-text">Blocked by “{result.blockedBy.pattern}”.</strong>
            ) : result.requireApproval.length ? (
              <strong>Held for approval by “{names(result.requireApproval)}”.</strong>
            ) : (
              <strong>Would be published.</strong>
            )}
            {result.flag.length > 0 && ` Flagged by “${names(result.flag)}”.`}
          </p>
          <p className="small">
            Spam score {result.spamScore} · {result.links} links · {result.images} images · {result.mentions}{' '}
            mentions
          </p>
          {result.censored !== text && (
            <p className="small">
              Stored as: <span className="pre-wrap">{result.censored}</span>
            </p>
          )}
        </output>
      )}
    </section>
  );
}
