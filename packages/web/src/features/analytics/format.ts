import type { N } from './api.ts';

/** A dashboard number: null means suppressed (fewer than k members behind it). */
export const show = (v: N | undefined, digits = 0): string =>
  v == null ? '<5' : v.toLocaleString('en', { maximumFractionDigits: digits });
export const pct = (v: N | undefined): string => (v == null ? '–' : `${Math.round(v * 1000) / 10} %`);

/** Change from the previous period, e.g. "+12 %", or "" when either side is missing or zero. */
export function delta(cur: N | undefined, prev: N | undefined): string {
  if (cur == null || prev == null || prev === 0) return '';
  const d = ((cur - prev) / Math.abs(prev)) * 100;
  return `${d >= 0 ? '+' : ''}${Math.round(d)} %`;
}

export const minutes = (v: N | undefined): string => {
  if (v == null) return '–';
  if (v < 90) return `${Math.round(v)} min`;
  if (v < 60 * 48) return `${Math.round(v / 6) / 10} h`;
  return `${Math.round(v / 144) / 10} d`;
};

/**
 * The day a quiet community's data ends, when the dashboard shows the current period (no end
 * chosen) and neither it nor the period before holds anything: an imported archive, or a
 * community that has gone silent. The dashboard then opens on the period ending that day,
 * instead of two empty periods. null otherwise.
 */
export function quietSince(
  o: { dataRange: { last: string | null }; previous: { start: string } },
  end: string | undefined,
): string | null {
  if (end !== undefined || !o.dataRange.last) return null;
  return o.dataRange.last < o.previous.start ? o.dataRange.last : null;
}
