import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { money, partnerships, type ReportRow } from './api.ts';
import { DailyChart } from './Chart.tsx';

const COLUMNS: [keyof ReportRow, string][] = [
  ['engagement', 'Engagement'],
  ['engagedMembers', 'Engaged members'],
  ['clicks', 'Clicks'],
  ['conversions', 'Conversions'],
  ['revenueCents', 'Revenue'],
  ['costCents', 'Cost'],
  ['roi', 'ROI'],
  ['costPerEngagedMemberCents', 'Cost per engaged member'],
];

/** /campaigns/:id/report: ROI per creator and in total, daily charts, CSV export (brand managers). */
export function ReportPage({ id }: { id: number }) {
  const [model, setModel] = useState<string>('');
  const report = useAsync(() => partnerships.report(id, model || undefined), [id, model]);
  useTitle('ROI report');
  const r = report.data;
  const days = useMemo(() => r?.daily.map((d) => d.day) ?? [], [r]);
  const activity = useMemo(
    () =>
      r
        ? [
            { name: 'Clicks', values: r.daily.map((d) => d.clicks), color: '#1d4ed8' },
            { name: 'Conversions', values: r.daily.map((d) => d.conversions), color: '#a63a0c' },
          ]
        : [],
    [r],
  );
  const revenue = useMemo(
    () =>
      r
        ? [
            {
              name: `Revenue (${r.currency})`,
              values: r.daily.map((d) => d.revenueCents / 100),
              color: '#1f7a3a',
            },
          ]
        : [],
    [r],
  );
  const cell = (row: ReportRow, k: keyof ReportRow) => {
    const v = row[k] as number | null;
    if (k === 'revenueCents' || k === 'costCents' || k === 'costPerEngagedMemberCents')
      return money(v, r!.currency);
    if (k === 'roi') return v == null ? '—' : `${(v * 100).toFixed(0)} %`;
    if (k === 'conversions') return v == null ? '—' : String(Math.round(v * 100) / 100);
    return String(v ?? '—');
  };
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/campaigns/${id}`}>Campaign</a>
      </nav>
      <h1>ROI report</h1>
      <div className="row wrap">
        <label className="inline-label">
          Attribution
          <select value={model || r?.model || ''} onChange={(e) => setModel(e.target.value)}>
            <option value="last_touch">Last touch</option>
            <option value="linear">Linear</option>
          </select>
        </label>
        <a
          className="button button-secondary button-small"
          href={partnerships.reportCsvUrl(id, model || undefined)}
          download
        >
          Download CSV
        </a>
      </div>
      <ErrorMessage error={report.error} />
      {!r ? (
        !report.error && <Loading lines={6} height="28rem" />
      ) : (
        <>
          <section className="card table-wrap" aria-labelledby="roi-h">
            <h2 id="roi-h">Per creator ({r.windowDays}-day window)</h2>
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">Creator</th>
                  {COLUMNS.map(([k, name]) => (
                    <th key={k} scope="col">
                      <span title={r.explanations[k.replace('Cents', '')] ?? ''}>{name}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => (
                  <tr key={row.creator?.id ?? 0}>
                    <th scope="row">{row.creator ? `@${row.creator.username}` : '—'}</th>
                    {COLUMNS.map(([k]) => (
                      <td key={k}>{cell(row, k)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  {COLUMNS.map(([k]) => (
                    <td key={k}>{cell(r.total, k)}</td>
                  ))}
                </tr>
              </tfoot>
            </table>
            <dl className="small">
              {Object.entries(r.explanations).map(([k, v]) => (
                <div key={k}>
                  <dt className="muted">{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section className="card" aria-labelledby="chart-h">
            <h2 id="chart-h">Clicks and conversions per day</h2>
            <DailyChart days={days} series={activity} label="Clicks and conversions per day" />
            <h2>Revenue per day</h2>
            <DailyChart days={days} series={revenue} label="Revenue per day" />
          </section>
        </>
      )}
    </div>
  );
}
