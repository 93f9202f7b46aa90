import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { privacyApi } from './api.ts';
import { ConsentText } from './ConsentText.tsx';

/** Asked once, after sign-up: shown until the member answers (either way). */
export function ConsentPrompt() {
  const { me } = useSession();
  const consent = useAsync(() => (me ? privacyApi.consent() : Promise.resolve(null)), [me?.id]);
  const [done, setDone] = useState(false);
  const answer = useAction(async (analytics: boolean) => {
    await privacyApi.setConsent(analytics);
    setDone(true);
  });
  if (!me || done || !consent.data || consent.data.answered) return null;
  return (
    <section className="card consent-prompt" aria-labelledby="consent-prompt-h">
      <h2 id="consent-prompt-h">May we record your reading?</h2>
      <ConsentText retentionDays={consent.data.retentionDays} />
      <div className="row">
        <button type="button" className="button" disabled={answer.pending} onClick={() => answer.run(true)}>
          Allow
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={answer.pending}
          onClick={() => answer.run(false)}
        >
          Do not allow
        </button>
      </div>
      <ErrorMessage error={answer.error} />
    </section>
  );
}
