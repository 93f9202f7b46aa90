import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../lib/useAction.ts';
import { privacyApi } from './api.ts';

/** Settings: download all my data; erase my account (password, and what happens to my posts). */
export function DataRightsPanel() {
  const { setMe } = useSession();
  const [password, setPassword] = useState('');
  const [content, setContent] = useState<'anonymise' | 'delete'>('anonymise');
  const [sure, setSure] = useState(false);
  const erase = useAction(async () => {
    await privacyApi.erase(password, content);
    setMe(null);
    navigate('/', { replace: true });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (sure) erase.run();
  };
  return (
    <section className="card" aria-labelledby="data-h">
      <h2 id="data-h">Your data</h2>
      <p>
        One JSON file with your profile, posts, comments, reactions, memberships, points, consent history and
        the activity stored as yours.
      </p>
      <p>
        <a className="button button-secondary" href={privacyApi.exportUrl} download>
          Download my data
        </a>
      </p>
      <h3>Erase my account</h3>
      <p className="muted">
        Your profile, sessions, tokens, follows, reactions and statistics are deleted for good. Your posts
        either stay under “Deleted member” (anonymised) or lose their text (deleted); replies by others stay.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Your posts and comments</legend>
          <label className="radio">
            <input
              type="radio"
              name="content"
              checked={content === 'anonymise'}
              onChange={() => setContent('anonymise')}
            />
            Keep them, anonymised
          </label>
          <label className="radio">
            <input
              type="radio"
              name="content"
              checked={content === 'delete'}
              onChange={() => setContent('delete')}
            />
            Delete their text
          </label>
        </fieldset>
        <label>
          Your password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <label className="radio">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />I understand
          this cannot be undone
        </label>
        <ErrorMessage error={erase.error} />
        <div className="row">
          <button
            type="submit"
            className="button button-danger"
            disabled={!sure || !password || erase.pending}
          >
            {erase.pending ? 'Erasing…' : 'Erase my account'}
          </button>
        </div>
      </form>
    </section>
  );
}
