import { useId, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Markdown } from '../../components/Prose.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { modApi } from './api.ts';

/** The write was refused because the community's guidelines changed since the member accepted them. */
export const needsReaccept = (err: unknown) =>
  err instanceof ApiError && err.code === 'GUIDELINES_REACCEPT_REQUIRED';

/**
 * The current guidelines with an accept checkbox and button. After a change, the API
 * refuses new threads and comments (403 GUIDELINES_REACCEPT_REQUIRED) until the member
 * accepts the new version; this is shown where that happened.
 */
export function ReacceptGuidelines({ slug, onAccepted }: { slug: string; onAccepted: () => void }) {
  const g = useAsync(() => modApi.guidelines(slug), [slug]);
  const [checked, setChecked] = useState(false);
  const id = useId();
  const accept = useAction(async () => {
    await modApi.acceptGuidelines(slug, g.data!.version);
    onAccepted();
  });
  return (
    <section className="guidelines-accept" aria-labelledby={`${id}-h`} role="alert">
      <h2 id={`${id}-h`}>The community guidelines changed</h2>
      <ErrorMessage error={g.error} />
      {!g.data ? (
        !g.error && <Loading lines={3} />
      ) : (
        <>
          <p className="muted small">
            Version {g.data.version}, from {formatDate(g.data.createdAt)}. Read and accept it to post again.
          </p>
          <div className="guidelines-text">
            <Markdown source={g.data.body} />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I have
            read and accept these guidelines
          </label>
          <ErrorMessage error={accept.error} />
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={!checked || accept.pending}
              onClick={() => accept.run()}
            >
              {accept.pending ? 'Accepting…' : 'Accept the new guidelines'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/**
 * The error of a write (new thread, comment, reply): the guidelines to accept when that is
 * why it was refused (then `onAccepted` lets the page clear it and the member send again),
 * the server's message otherwise.
 */
export function WriteError({
  error,
  slug,
  onAccepted,
}: {
  error: unknown;
  slug: string;
  onAccepted: () => void;
}) {
  if (needsReaccept(error)) return <ReacceptGuidelines slug={slug} onAccepted={onAccepted} />;
  return <ErrorMessage error={error} />;
}

/** On a community's page: members who have not accepted changed guidelines are asked to, before they write. */
export function GuidelinesBanner({ slug }: { slug: string }) {
  const g = useAsync(() => modApi.guidelines(slug), [slug]);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  if (!g.data?.me?.reacceptRequired || done) return null;
  return (
    <div className="notice guidelines-banner">
      {open ? (
        <ReacceptGuidelines slug={slug} onAccepted={() => setDone(true)} />
      ) : (
        <p className="row">
          <span className="grow">
            The guidelines changed. Accept the new version to post and comment again.
          </span>
          <button type="button" className="button button-small" onClick={() => setOpen(true)}>
            Read the new guidelines
          </button>
        </p>
      )}
    </div>
  );
}
