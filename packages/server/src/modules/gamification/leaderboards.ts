import { DAY } from '../../platform/clock.ts';

export const PERIODS = ['week', 'month', 'year', 'all'] as const;
export type Period = (typeof PERIODS)[number];

/** Rolling windows (last 7/30/365 days), not calendar weeks: no timezone to agree on. */
export function periodStart(period: Period, now: number): number {
  if (period === 'week') return now - 7 * DAY;
  if (period === 'month') return now - 30 * DAY;
  if (period === 'year') return now - 365 * DAY;
  return 0;
}
