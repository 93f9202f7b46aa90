import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../lib/useAction.ts';
import type { Campaign, CampaignFields } from './api.ts';

/** Create or edit a campaign: brief, budget, dates, deliverables, landing URL, attribution. */
export function CampaignForm({
  initial,
  submitLabel,
  onSave,
}: {
  initial?: Campaign;
  submitLabel: string;
  onSave: (fields: Partial<CampaignFields>) => Promise<void>;
}) {
  const [f, setF] = useState({
    title: initial?.title ?? '',
    brief: initial?.brief ?? '',
    deliverablesBrief: initial?.deliverablesBrief ?? '',
    budget: initial?.budgetCents != null ? String(initial.budgetCents / 100) : '',
    startsAt: initial?.startsAt.slice(0, 10) ?? '',
    endsAt: initial?.endsAt.slice(0, 10) ?? '',
    landingUrl: initial?.landingUrl ?? '',
    attributionModel: initial?.attributionModel ?? 'last_touch',
    attributionWindowDays: String(initial?.attributionWindowDays ?? 30),
    openApplications: initial?.openApplications ?? false,
    status: initial?.status ?? 'draft',
  });
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    await onSave({
      title: f.title.trim(),
      brief: f.brief,
      deliverablesBrief: f.deliverablesBrief,
      budgetCents: Math.round(Number(f.budget || '0') * 100),
      startsAt: f.startsAt,
      endsAt: f.endsAt,
      landingUrl: f.landingUrl.trim(),
      attributionModel: f.attributionModel as CampaignFields['attributionModel'],
      attributionWindowDays: Number(f.attributionWindowDays),
      openApplications: f.openApplications,
      status: f.status as CampaignFields['status'],
    });
    setSaved(true);
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.run();
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={submitLabel}>
      <label>
        Campaign title
        <input value={f.title} onChange={set('title')} maxLength={200} />
      </label>
      <label>
        Brief
        <textarea value={f.brief} onChange={set('brief')} rows={4} maxLength={20000} />
      </label>
      <label>
        Deliverables
        <textarea value={f.deliverablesBrief} onChange={set('deliverablesBrief')} rows={2} maxLength={5000} />
      </label>
      <div className="row wrap">
        <label className="grow">
          Budget
          <input inputMode="decimal" value={f.budget} onChange={set('budget')} />
        </label>
        <label className="grow">
          Starts
          <input type="date" value={f.startsAt} onChange={set('startsAt')} />
        </label>
        <label className="grow">
          Ends
          <input type="date" value={f.endsAt} onChange={set('endsAt')} />
        </label>
      </div>
      <label>
        Landing page (tracked links lead here)
        <input type="url" value={f.landingUrl} onChange={set('landingUrl')} />
      </label>
      <div className="row wrap">
        <label className="grow">
          Attribution
          <select value={f.attributionModel} onChange={set('attributionModel')}>
            <option value="last_touch">Last touch</option>
            <option value="linear">Linear</option>
          </select>
        </label>
        <label className="grow">
          Window (days)
          <input
            type="number"
            min={1}
            max={365}
            value={f.attributionWindowDays}
            onChange={set('attributionWindowDays')}
          />
        </label>
        <label className="grow">
          Status
          <select value={f.status} onChange={set('status')}>
            <option value="draft">Draft</option>
            <option value="active">Active</option>
            {initial && <option value="closed">Closed</option>}
          </select>
        </label>
      </div>
      <label className="inline-label">
        <input
          type="checkbox"
          checked={f.openApplications}
          onChange={(e) => setF({ ...f, openApplications: e.target.checked })}
        />
        Creators may apply
      </label>
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" className="button" disabled={save.pending}>
          {save.pending ? 'Saving…' : submitLabel}
        </button>
        <output className="ok-text">{saved && initial ? 'Saved.' : ''}</output>
      </div>
    </form>
  );
}
