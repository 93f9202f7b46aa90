import { type FormEvent, useId, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { modApi, REPORT_REASONS, type ReportReason, type ReportTarget } from './api.ts';

/**
 * Report a thread, comment or profile to the moderators: a reason, and the rule of the
 * community's guidelines it breaks (the numbered items of the current version). A profile
 * reported from a community goes to that community's queue; from elsewhere, to the site's.
 */
export function ReportButton({
  targetType,
  targetId,
  slug,
  what,
}: {
  targetType: ReportTarget;
  targetId: number;
  /** The community it happened in: its rules are offered, and a profile report goes to its queue. */
  slug?: string;
  /** For the accessible name: "Report this comment". */
  what: string;
}) {
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const id = useId();
  if (!me) return null;
  if (sent) {
    return (
      <output className="ok-text small report-sent">Reported. Thank you: moderators will look at it.</output>
    );
  }
  return (
    <>
      <button
        type="button"
        className="link-button report-button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen(!open)}
      >
        Report<span className="visually-hidden"> {what}</span>
      </button>
      {open && (
        <div className="report-wrap">
          <ReportForm
            id={id}
            targetType={targetType}
            targetId={targetId}
            slug={slug}
            what={what}
            onCancel={() => setOpen(false)}
            onSent={() => setSent(true)}
          />
        </div>
      )}
    </>
  );
}

function ReportForm({
  id,
  targetType,
  targetId,
  slug,
  what,
  onCancel,
  onSent,
}: {
  id: string;
  targetType: ReportTarget;
  targetId: number;
  slug?: string;
  what: string;
  onCancel: () => void;
  onSent: () => void;
}) {
  const rules = useAsync(
    () => (slug ? modApi.guidelines(slug).then((g) => g.rules) : Promise.resolve([])),
    [slug],
  );
  const [reason, setReason] = useState<ReportReason>('spam');
  const [rule, setRule] = useState('');
  const [note, setNote] = useState('');
  const send = useAction(async () => {
    await modApi.report({
      targetType,
      targetId,
      reason,
      ...(rule && { ruleNumber: Number(rule) }),
      ...(note.trim() && { note: note.trim() }),
      ...(targetType === 'user' && slug && { community: slug }),
    });
    onSent();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.run();
  };
  const ruleList = rules.data ?? [];
  return (
    <form
      id={id}
      className="report-form card form"
      onSubmit={submit}
      noValidate
      aria-label={`Report ${what}`}
    >
      <label>
        Why?
        <select value={reason} onChange={(e) => setReason(e.target.value as ReportReason)}>
          {REPORT_REASONS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {ruleList.length > 0 && (
        <label>
          <span>
            Rule it breaks <span className="muted">(optional)</span>
          </span>
          <select value={rule} onChange={(e) => setRule(e.target.value)}>
            <option value="">—</option>
            {ruleList.map((r) => (
              <option key={r.number} value={r.number}>
                {r.number}. {r.text.slice(0, 80)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        <span>
          Anything moderators should know <span className="muted">(optional)</span>
        </span>
        <textarea rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <ErrorMessage error={send.error ?? rules.error} />
      <div className="row">
        <button type="submit" className="button button-small" disabled={send.pending}>
          {send.pending ? 'Sending…' : 'Send report'}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
