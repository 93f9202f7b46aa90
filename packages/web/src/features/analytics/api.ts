import { request } from '../../lib/api.ts';

/** Types and calls of the analytics dashboard (GET /api/v1/communities/{slug}/analytics/*). */
export type PeriodName = 'day' | 'week' | 'month';
export interface PeriodQuery {
  period: PeriodName;
  end?: string;
  buckets?: number;
}
/** null = suppressed: fewer than k members behind the number. */
export type N = number | null;

export interface Summary {
  start: string;
  end: string;
  activeMembers: N;
  dailyActiveAvg: N;
  weeklyActive: N;
  monthlyActive: N;
  stickiness: N;
  newMembers: N;
  leftMembers: N;
  activation: { joined: N; activated: N; rate: N };
  repeatVisitors: { visitors: N; repeat: N; rate: N };
  reading: {
    views: number;
    minutes: N;
    readersPerDay: N;
    minutesPerReaderDay: N;
    membersReading: N;
    minutesPerMember: N;
    medianMinutesPerMember: N;
  };
  threads: number;
  comments: number;
  reactions: number;
  reactionsPerContribution: N;
  repliesPerThread: N;
  averageDepth: N;
  medianFirstResponseMinutes: N;
  answeredThreads: number;
  unansweredThreads: number;
  moderationActions: number;
  reports: number;
  sentiment: { scored: number; average: N; positiveShare: N; negativeShare: N };
}
export interface SeriesPoint {
  start: string;
  activeMembers: N;
  newMembers: N;
  threads: number;
  comments: number;
  reactions: number;
  readMinutes: N;
  readersPerDay: N;
  sentiment: N;
}
interface Head {
  community: { id: number; slug: string; name: string };
  period: PeriodName;
  start: string;
  end: string;
  k: number;
}
export interface Overview extends Head {
  inProgress: boolean;
  dataRange: { first: string | null; last: string | null };
  rebuiltAt: string | null;
  current: Summary;
  previous: Summary;
  series: SeriesPoint[];
}
export interface Retention extends Head {
  weeks: number;
  cohorts: { cohort: string; size: N; retained: N[]; rates: N[] }[];
}
export interface ContentDepth extends Head {
  threads: {
    id: number;
    title: string;
    readMinutes: N;
    readerDays: N;
    commentsInPeriod: number;
    replies: number;
    distinctRepliers: number;
  }[];
}
export interface PersonRow {
  username: string;
  displayName: string;
}
export interface Members extends Head {
  window: { start: string; end: string };
  members: N;
  levels: { level: number; name: string; minLove: number | null; members: N }[];
  champions: (PersonRow & { distinctRepliers: number; replies: number })[];
  atRisk: (PersonRow & { activeWeeks: number; lastActiveWeek: string })[];
  newcomersWithoutReply: (PersonRow & { joinedAt: string; firstContributionAt: string })[];
  settings: { quietWeeks: number; lookbackWeeks: number; minActiveWeeks: number; newcomerDays: number };
}

const enc = encodeURIComponent;
const qs = (q: PeriodQuery) => {
  const p = new URLSearchParams({ period: q.period });
  if (q.end) p.set('end', q.end);
  if (q.buckets) p.set('buckets', String(q.buckets));
  return p.toString();
};
const section = <T>(slug: string, name: string, q: PeriodQuery) =>
  request<T>('GET', `/communities/${enc(slug)}/analytics/${name}?${qs(q)}`);

export const analyticsApi = {
  overview: (slug: string, q: PeriodQuery) => section<Overview>(slug, 'overview', q),
  retention: (slug: string, q: PeriodQuery) => section<Retention>(slug, 'retention', q),
  content: (slug: string, q: PeriodQuery) => section<ContentDepth>(slug, 'content', q),
  members: (slug: string, q: PeriodQuery) => section<Members>(slug, 'members', q),
  rebuild: (slug: string) => request<{ ok: boolean }>('POST', `/communities/${enc(slug)}/analytics/rebuild`),
  /** Same-origin link (the session cookie authenticates the download). */
  csvUrl: (slug: string, table: string, q: PeriodQuery) =>
    `/api/v1/communities/${enc(slug)}/analytics/export?table=${enc(table)}&${qs(q)}`,
};
