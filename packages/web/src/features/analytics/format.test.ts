import { describe, expect, it } from 'vitest';
import { delta, minutes, pct, show } from './format.ts';

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
});
