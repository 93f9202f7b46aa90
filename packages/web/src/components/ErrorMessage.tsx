import { errorMessage } from '../lib/api.ts';

/** The API's message for a failed action, announced to screen readers, shown where it happened. */
export function ErrorMessage({ error, className = '' }: { error: unknown; className?: string }) {
  if (!error) return null;
  return (
    <p className={`error ${className}`} role="alert">
      {errorMessage(error)}
    </p>
  );
}
