import { describe, expect, it } from 'vitest';
import { streakFrom } from './streaks.ts';

const days = (...d: number[]) => new Set(d);

describe('streaks: consecutive days with one freeze per week', () => {
  it('counts a plain run ending today or yesterday', () => {
    expect(streakFrom(days(98, 99, 100), 100).current).toBe(3);
    expect(streakFrom(days(97, 98, 99), 100).current).toBe(3); // today not over yet
    expect(streakFrom(days(97, 98), 100).current).toBe(0); // yesterday missed: broken
  });
  it('forgives one missed day per week, not two in a row nor two within 7 days', () => {
    expect(streakFrom(days(96, 97, 99, 100), 100)).toEqual({ current: 4, frozenDays: [98] });
    expect(streakFrom(days(95, 96, 99, 100), 100).current).toBe(2); // two missed in a row
    expect(streakFrom(days(94, 95, 97, 99, 100), 100)).toEqual({ current: 3, frozenDays: [98] }); // second miss within a week
    expect(streakFrom(days(90, 92, 93, 94, 95, 96, 97, 98, 99, 100), 100)).toEqual({
      current: 10,
      frozenDays: [91],
    });
    expect(
      streakFrom(days(82, 84, 85, 86, 87, 88, 89, 90, 92, 93, 94, 95, 96, 97, 98, 99, 100), 100).frozenDays,
    ).toEqual([91, 83]);
  });
});
