import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { privacyApi } from './api.ts';
import { ConsentText } from './ConsentText.tsx';

/** Settings: the analytics consent, its history, and the way to change it. */
export function ConsentPanel() {
  const consent = useAsync(() => privacyApi.consent(), []);
  const save = useAction(async (analytics: boolean) =>
    consent.setData(await privacyApi.setConsent(analytics)),
  );
  const c = consent.data;
  return (
    <section className="card" aria-labelledby="consent-h">
      <h2 id="consent-h">Reading statistics</h2>
      <ErrorMessage error={consent.error} />
      {!c ? (
        <Loading lines={4} height="12rem" />
      ) : (
        <>
          <ConsentText retentionDays={c.retentionDays} />
          <p>
            Now:{' '}
            <strong data-testid="consent-state">
              {c.analytics ? 'allowed' : c.answered ? 'not allowed' : 'not allowed (you have not chosen yet)'}
            </strong>
            {c.updatedAt && <span className="muted"> · since {formatDate(c.updatedAt)}</span>}
          </p>
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={save.pending || c.analytics}
              onClick={() => save.run(true)}
            >
              Allow
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={save.pending || (c.answered && !c.analytics)}
              onClick={() => save.run(false)}
            >
              Do not allow
            </button>
          </div>
          <ErrorMessage error={save.error} />
          {c.history.length > 0 && (
            <details>
              <summary>History of your choices</summary>
              <ul className="list">
                {c.history.map((h) => (
                  <li key={h.changedAt + String(h.granted)}>
                    {formatDate(h.changedAt)}: {h.granted ? 'allowed' : 'not allowed'}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
