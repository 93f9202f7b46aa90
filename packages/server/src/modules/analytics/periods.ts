import { DAY } from '../../platform/clock.ts';

/**
 * Calendar buckets, all in UTC: a day is `floor(ms / DAY)`; an ISO week starts on Monday
 * (day 0, 1970-01-01, was a Thursday, so Monday-based week n covers days 7n-3 … 7n+3);
 * a month is `year * 12 + monthIndex`. Rollups store one row per bucket of each grain, so
 * distinct counts (weekly and monthly active members) are row counts, never re-aggregated.
 */
export type Grain = 'd' | 'w' | 'm';
export type PeriodName = 'day' | 'week' | 'month';
export const GRAIN_OF: Record<PeriodName, Grain> = { day: 'd', week: 'w', month: 'm' };

export const dayOf = (ms: number): number => Math.floor(ms / DAY);
export const weekOfDay = (day: number): number => Math.floor((day + 3) / 7);
export const monthOfDay = (day: number): number => {
  const d = new Date(day * DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

export function bucketOf(grain: Grain, day: number): number {
  if (grain === 'd') return day;
  if (grain === 'w') return weekOfDay(day);
  return monthOfDay(day);
}

/** First UTC day of a bucket. */
export function bucketStartDay(grain: Grain, bucket: number): number {
  if (grain === 'd') return bucket;
  if (grain === 'w') return bucket * 7 - 3;
  return Math.floor(Date.UTC(Math.floor(bucket / 12), bucket % 12, 1) / DAY);
}

/** Last UTC day of a bucket (inclusive). */
export const bucketEndDay = (grain: Grain, bucket: number): number => bucketStartDay(grain, bucket + 1) - 1;

/** The three buckets (day, week, month) a day belongs to, for writing rollups. */
export const bucketsOfDay = (day: number): [Grain, number][] => [
  ['d', day],
  ['w', weekOfDay(day)],
  ['m', monthOfDay(day)],
];

export const isoDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/** Parses YYYY-MM-DD into a UTC day number, or null. */
export function parseIsoDay(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(ms) || isoDay(ms / DAY) !== s) return null;
  return ms / DAY;
}
