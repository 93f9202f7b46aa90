import { describe, expect, it } from 'vitest';
import { delta, minutes, pct, quietSince, show } from './format.ts';

describe('dashboard formatting', () => {
  it('shows suppressed numbers as <5 and changes against the previous period', () => {
    expect(show(null)).toBe('<5');
    expect(show(0)).toBe('0');
    expect(show(1234.56, 1)).toBe('1,234.6');
    expect(pct(0.125)).toBe('12.5 %');
    expect(pct(null)).toBe('–');
    expect(delta(12, 10)).toBe('+20 %');
    expect(delta(5, 10)).toBe('-50 %');
    expect(delta(5, 0)).toBe('');
    expect(delta(null, 3)).toBe('');
    expect(minutes(30)).toBe('30 min');
    expect(minutes(180)).toBe('3 h');
    expect(minutes(60 * 72)).toBe('3 d');
  });

  it('opens a quiet community on the period its data ends in, not on two empty periods', () => {
    const archive = { dataRange: { last: '2023-08-31' }, previous: { start: '2026-11-30' } };
    expect(quietSince(archive, undefined)).toBe('2023-08-31');
    // A day the manager chose is kept, even an empty one.
    expect(quietSince(archive, '2026-12-01')).toBeNull();
    // Activity in the previous period (or later): the current period is worth showing.
    expect(
      quietSince({ dataRange: { last: '2026-11-30' }, previous: { start: '2026-11-30' } }, undefined),
    ).toBeNull();
    expect(
      quietSince({ dataRange: { last: '2026-12-07' }, previous: { start: '2026-11-30' } }, undefined),
    ).toBeNull();
    // No data at all: nothing to move to.
    expect(
      quietSince({ dataRange: { last: null }, previous: { start: '2026-11-30' } }, undefined),
    ).toBeNull();
  });
});
