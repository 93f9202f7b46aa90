import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import type { ExportQueryT, PeriodQueryT } from './analytics.schema.ts';
import { toCsv } from './csv.ts';
import { content, members, retention } from './members.service.ts';
import * as m from './metrics.queries.ts';
import {
  DEFAULT_BUCKETS,
  K,
  loadManagedCommunity,
  type MetricsDeps,
  periodSummary,
  series,
  windowOf,
} from './metrics.service.ts';
import { isoDay } from './periods.ts';

/** The dashboard's sections (each one request, so the page fills in as they arrive) and CSV. */

async function context(deps: MetricsDeps, slug: string, viewer: Viewer | null, q: PeriodQueryT) {
  const community = await loadManagedCommunity(deps, slug, viewer);
  const w = windowOf(q, deps.clock.now());
  return { community, w };
}

const head = (community: { id: number; slug: string; name: string }, w: ReturnType<typeof windowOf>) => ({
  community: { id: community.id, slug: community.slug, name: community.name },
  period: w.period,
  start: isoDay(w.startDay),
  end: isoDay(w.lastDay),
  k: K,
});

export async function overview(deps: MetricsDeps, slug: string, viewer: Viewer | null, q: PeriodQueryT) {
  const { community, w } = await context(deps, slug, viewer, q);
  const prev = windowOf(q, deps.clock.now(), -1);
  const buckets = q.buckets ?? DEFAULT_BUCKETS[q.period];
  const [current, previous, points, range, rebuilt] = await Promise.all([
    periodSummary(deps.db, community.id, w),
    periodSummary(deps.db, community.id, prev),
    series(deps.db, community.id, w, buckets),
    m.dataRange(deps.db, community.id),
    m.rebuiltAt(deps.db, community.id),
  ]);
  return {
    ...head(community, w),
    inProgress: w.lastDay >= Math.floor(deps.clock.now() / 86_400_000),
    dataRange: {
      first: range.lo == null ? null : isoDay(range.lo),
      last: range.hi == null ? null : isoDay(range.hi),
    },
    rebuiltAt: rebuilt == null ? null : iso(rebuilt),
    current,
    previous,
    series: points,
  };
}

export async function retentionSection(
  deps: MetricsDeps,
  slug: string,
  viewer: Viewer | null,
  q: PeriodQueryT,
) {
  const { community, w } = await context(deps, slug, viewer, q);
  return { ...head(community, w), ...(await retention(deps.db, community.id, w)) };
}

export async function contentSection(
  deps: MetricsDeps,
  slug: string,
  viewer: Viewer | null,
  q: PeriodQueryT,
) {
  const { community, w } = await context(deps, slug, viewer, q);
  return { ...head(community, w), ...(await content(deps.db, community.id, w)) };
}

export async function membersSection(
  deps: MetricsDeps,
  slug: string,
  viewer: Viewer | null,
  q: PeriodQueryT,
) {
  const { community, w } = await context(deps, slug, viewer, q);
  return { ...head(community, w), ...(await members(deps.db, community.id, w)) };
}

/** Flattens nested summary objects into dotted columns. */
function flatten(o: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v as Record<string, unknown>, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

/** Every table of the dashboard as CSV, computed (and suppressed) exactly as the page shows it. */
export async function exportCsv(deps: MetricsDeps, slug: string, viewer: Viewer | null, q: ExportQueryT) {
  const file = (name: string) => `${slug}-${name}-${q.period}-${q.end ?? 'today'}.csv`;
  const cells = (r: Record<string, unknown>, cols: string[]) =>
    cols.map((c) => r[c] as string | number | null);
  if (q.table === 'summary' || q.table === 'series') {
    const o = await overview(deps, slug, viewer, q);
    if (q.table === 'summary') {
      const cur = flatten(o.current);
      const prev = new Map(flatten(o.previous));
      const rows = cur.map(([k, v]) => [k, v as number | null, prev.get(k) as number | null]);
      return { filename: file('summary'), csv: toCsv(['metric', 'current', 'previous'], rows) };
    }
    const cols = Object.keys(o.series[0] ?? { start: '' });
    return {
      filename: file('series'),
      csv: toCsv(
        cols,
        o.series.map((r) => cells(r, cols)),
      ),
    };
  }
  if (q.table === 'retention') {
    const r = await retentionSection(deps, slug, viewer, q);
    const header = ['cohort', 'size', ...Array.from({ length: r.weeks }, (_, i) => `week_${i}`)];
    return {
      filename: file('retention'),
      csv: toCsv(
        header,
        r.cohorts.map((c) => [c.cohort, c.size, ...c.retained]),
      ),
    };
  }
  if (q.table === 'top-threads') {
    const r = await contentSection(deps, slug, viewer, q);
    const cols = [
      'id',
      'title',
      'readMinutes',
      'readerDays',
      'commentsInPeriod',
      'replies',
      'distinctRepliers',
    ];
    return {
      filename: file('top-threads'),
      csv: toCsv(
        cols,
        r.threads.map((t) => cells(t, cols)),
      ),
    };
  }
  const r = await membersSection(deps, slug, viewer, q);
  if (q.table === 'levels') {
    const cols = ['level', 'name', 'minLove', 'members'];
    return {
      filename: file('levels'),
      csv: toCsv(
        cols,
        r.levels.map((l) => cells(l, cols)),
      ),
    };
  }
  if (q.table === 'champions') {
    const cols = ['username', 'displayName', 'distinctRepliers', 'replies'];
    return {
      filename: file('champions'),
      csv: toCsv(
        cols,
        r.champions.map((c) => cells(c, cols)),
      ),
    };
  }
  if (q.table === 'at-risk') {
    const cols = ['username', 'displayName', 'activeWeeks', 'lastActiveWeek'];
    return {
      filename: file('at-risk'),
      csv: toCsv(
        cols,
        r.atRisk.map((c) => cells(c, cols)),
      ),
    };
  }
  const cols = ['username', 'displayName', 'joinedAt', 'firstContributionAt'];
  return {
    filename: file('newcomers'),
    csv: toCsv(
      cols,
      r.newcomersWithoutReply.map((c) => cells(c, cols)),
    ),
  };
}
