import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { modApi } from './api.ts';

/**
 * For moderators on a thread or comment: remove it with a reason (and a rule) that its
 * author sees and can appeal, and that the public moderation log records. Unlike Delete,
 * which leaves no reason.
 */
export function RemoveWithReason({
  slug,
  targetType,
  targetId,
  onRemoved,
}: {
  slug: string;
  targetType: 'thread' | 'comment';
  targetId: number;
  onRemoved: () => void;
}) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="link-button danger" onClick={() => setOpen(true)}>
        Remove with reason
      </button>
    );
  }
  return (
    <div className="report-wrap">
      <RemoveForm
        slug={slug}
        targetType={targetType}
        targetId={targetId}
        onCancel={() => setOpen(false)}
        onRemoved={onRemoved}
      />
    </div>
  );
}

function RemoveForm({
  slug,
  targetType,
  targetId,
  onCancel,
  onRemoved,
}: {
  slug: string;
  targetType: 'thread' | 'comment';
  targetId: number;
  onCancel: () => void;
  onRemoved: () => void;
}) {
  const rules = useAsync(() => modApi.guidelines(slug).then((g) => g.rules), [slug]);
  const [reason, setReason] = useState('');
  const [rule, setRule] = useState('');
  const remove = useAction(async () => {
    await modApi.actOn(slug, {
      action: 'remove',
      reason: reason.trim(),
      targetType,
      targetId,
      ...(rule && { ruleNumber: Number(rule) }),
    });
    onRemoved();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    remove.run();
  };
  return (
    <form
      className="form card remove-form"
      onSubmit={submit}
      noValidate
      aria-label={`Remove this ${targetType}`}
    >
      <label>
        <span>
          Reason <span className="muted">(the author sees it)</span>
        </span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      </label>
      {(rules.data?.length ?? 0) > 0 && (
        <label>
          Rule
          <select value={rule} onChange={(e) => setRule(e.target.value)}>
            <option value="">None</option>
            {rules.data!.map((r) => (
              <option key={r.number} value={r.number}>
                {r.number}. {r.text.slice(0, 60)}
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorMessage error={remove.error} />
      <div className="row">
        <button type="submit" className="button button-danger button-small" disabled={remove.pending}>
          Remove
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
