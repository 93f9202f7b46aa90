import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { canModerate } from '../communities/CommunityPage.tsx';
import { analyticsApi, type Overview, type PeriodName, type PeriodQuery, type Summary } from './api.ts';
import { delta, minutes, pct, quietSince, show } from './format.ts';
import { LineChart } from './LineChart.tsx';
import { MembersSection, RetentionSection, TopThreadsSection } from './sections.tsx';

const PERIODS: [PeriodName, string][] = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
];

/** The community's health for its owners and moderators: depth, retention and who carries it. */
export function AnalyticsPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  useTitle(community.data ? `Analytics · ${community.data.name}` : 'Analytics');
  const [q, setQ] = useState<PeriodQuery>({ period: 'week' });
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!community.data) return <Loading lines={8} height="40rem" />;
  const c = community.data;
  if (!canModerate(c, me?.isAdmin)) {
    return (
      <div className="stack">
        <h1>Analytics</h1>
        <p className="error">Only owners and moderators of {c.name} can see its analytics.</p>
      </div>
    );
  }
  return (
    <div className="stack analytics">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/c/${c.slug}`}>{c.name}</a>
      </nav>
      <h1>Community health</h1>
      <Dashboard slug={c.slug} q={q} setQ={setQ} />
    </div>
  );
}

function Dashboard({ slug, q, setQ }: { slug: string; q: PeriodQuery; setQ: (q: PeriodQuery) => void }) {
  const overview = useAsync(() => analyticsApi.overview(slug, q), [slug, q.period, q.end, q.buckets]);
  const rebuild = useAction(async () => {
    await analyticsApi.rebuild(slug);
    overview.reload();
  });
  const o = overview.data;
  // A quiet community (an imported archive, say) opens on the period its data ends in, once;
  // "Show the current …" goes back to now and stays there.
  const [movedTo, setMovedTo] = useState<string | null>(null);
  const [stayNow, setStayNow] = useState(false);
  const quiet = o && !stayNow && !movedTo ? quietSince(o, q.end) : null;
  useEffect(() => {
    if (!quiet) return;
    setMovedTo(quiet);
    setQ({ ...q, end: quiet });
  }, [quiet, q, setQ]);
  return (
    <>
      <Controls q={q} setQ={setQ} o={o} onRebuild={() => rebuild.run()} rebuilding={rebuild.pending} />
      {movedTo && q.end === movedTo && !q.buckets && (
        <p className="notice">
          Nothing has happened here since {movedTo}, so this shows the {q.period} ending that day.{' '}
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => {
              setStayNow(true);
              setQ({ period: q.period });
            }}
          >
            Show the current {q.period}
          </button>
        </p>
      )}
      <ErrorMessage error={overview.error ?? rebuild.error} />
      <p className="muted small">
        Groups of fewer than 5 members are never shown (“&lt;5”), in the page or in the CSV files. Reading is
        counted as a member's only with their consent; otherwise only in anonymous daily totals.
      </p>
      {!o ? <Loading lines={6} height="30rem" /> : <OverviewView slug={slug} q={q} o={o} />}
      <RetentionSection slug={slug} q={q} />
      <TopThreadsSection slug={slug} q={q} />
      <MembersSection slug={slug} q={q} />
    </>
  );
}

function Controls({
  q,
  setQ,
  o,
  onRebuild,
  rebuilding,
}: {
  q: PeriodQuery;
  setQ: (q: PeriodQuery) => void;
  o: Overview | undefined;
  onRebuild: () => void;
  rebuilding: boolean;
}) {
  const wholeHistory = () => {
    if (!o?.dataRange.first || !o.dataRange.last) return;
    const [y0, m0] = o.dataRange.first.split('-').map(Number) as [number, number];
    const [y1, m1] = o.dataRange.last.split('-').map(Number) as [number, number];
    setQ({ period: 'month', end: o.dataRange.last, buckets: Math.min(400, (y1 - y0) * 12 + (m1 - m0) + 1) });
  };
  return (
    <div className="analytics-controls row">
      <div className="segmented">
        {PERIODS.map(([p, label]) => (
          <button
            key={p}
            type="button"
            aria-pressed={q.period === p}
            className={q.period === p ? 'button' : 'button button-secondary'}
            onClick={() => setQ({ period: p, end: q.end })}
          >
            {label}
          </button>
        ))}
      </div>
      <label className="inline">
        Ending
        <input
          type="date"
          value={q.end ?? ''}
          onChange={(e) => setQ({ ...q, end: e.target.value || undefined, buckets: undefined })}
        />
      </label>
      <button
        type="button"
        className="button button-secondary"
        onClick={wholeHistory}
        disabled={!o?.dataRange.first}
      >
        Whole history
      </button>
      <button type="button" className="button button-secondary" onClick={onRebuild} disabled={rebuilding}>
        {rebuilding ? 'Rebuilding…' : 'Rebuild from content'}
      </button>
      {o?.dataRange.first && (
        <span className="muted small">
          Data from {o.dataRange.first} to {o.dataRange.last}
        </span>
      )}
    </div>
  );
}

export function CsvLink({ slug, table, q }: { slug: string; table: string; q: PeriodQuery }) {
  return (
    <a className="button button-small button-secondary" href={analyticsApi.csvUrl(slug, table, q)} download>
      CSV
    </a>
  );
}

export function SectionHead({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <div className="section-head">
      <h2 id={id}>{title}</h2>
      {children}
    </div>
  );
}

type Row = [string, (s: Summary) => number | null | undefined, (v: number | null | undefined) => string];
const CARDS: Row[] = [
  ['Active members', (s) => s.activeMembers, (v) => show(v)],
  ['Daily active (avg)', (s) => s.dailyActiveAvg, (v) => show(v, 1)],
  ['Stickiness (DAU/MAU)', (s) => s.stickiness, pct],
  ['New members', (s) => s.newMembers, (v) => show(v)],
  ['Activated in 7 days', (s) => s.activation.rate, pct],
  ['Repeat visitors', (s) => s.repeatVisitors.rate, pct],
  ['Read time', (s) => s.reading.minutes, minutes],
  ['Read time per reading member', (s) => s.reading.minutesPerMember, minutes],
  ['Threads', (s) => s.threads, (v) => show(v)],
  ['Comments', (s) => s.comments, (v) => show(v)],
  ['Replies per thread', (s) => s.repliesPerThread, (v) => show(v, 2)],
  ['Thread depth (avg levels)', (s) => s.averageDepth, (v) => show(v, 2)],
  ['First response (median)', (s) => s.medianFirstResponseMinutes, minutes],
  ['Unanswered threads', (s) => s.unansweredThreads, (v) => show(v)],
  ['Reactions per contribution', (s) => s.reactionsPerContribution, (v) => show(v, 2)],
  ['Sentiment (avg)', (s) => s.sentiment.average, (v) => show(v, 3)],
];

function OverviewView({ slug, q, o }: { slug: string; q: PeriodQuery; o: Overview }) {
  const x = useMemo(() => o.series.map((p) => p.start), [o]);
  const people = useMemo(
    () => [
      { label: 'Active members', values: o.series.map((p) => p.activeMembers), color: '#b4490f' },
      { label: 'New members', values: o.series.map((p) => p.newMembers), color: '#2f6f4f' },
    ],
    [o],
  );
  const talk = useMemo(
    () => [
      { label: 'Threads', values: o.series.map((p) => p.threads), color: '#3a5a9a' },
      { label: 'Comments', values: o.series.map((p) => p.comments), color: '#b4490f' },
      { label: 'Reactions', values: o.series.map((p) => p.reactions), color: '#7a6a1a' },
    ],
    [o],
  );
  const reading = useMemo(
    () => [{ label: 'Read minutes', values: o.series.map((p) => p.readMinutes), color: '#6a3a8a' }],
    [o],
  );
  return (
    <>
      <section aria-labelledby="summary-h">
        <SectionHead id="summary-h" title={`${o.start} – ${o.end}${o.inProgress ? ' (in progress)' : ''}`}>
          <CsvLink slug={slug} table="summary" q={q} />
        </SectionHead>
        <p className="muted small">
          Compared with {o.previous.start} – {o.previous.end}.
        </p>
        <ul className="metric-grid">
          {CARDS.map(([label, get, fmt]) => {
            const cur = get(o.current);
            const prev = get(o.previous);
            const d = delta(cur ?? null, prev ?? null);
            return (
              <li key={label} className="metric">
                <span className="metric-label">{label}</span>
                <span className="metric-value">{fmt(cur)}</span>
                <span className="metric-prev muted small">
                  before: {fmt(prev)} {d && <span className={d.startsWith('-') ? 'down' : 'up'}>{d}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="series-h">
        <SectionHead id="series-h" title={`Over time, by ${o.period}`}>
          <CsvLink slug={slug} table="series" q={q} />
        </SectionHead>
        <div className="chart-grid">
          <LineChart title="Members" x={x} series={people} />
          <LineChart title="Contributions" x={x} series={talk} />
          <LineChart title="Reading" x={x} series={reading} />
        </div>
      </section>
    </>
  );
}
