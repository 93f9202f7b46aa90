/**
 * Streak rule: a streak is the run of UTC days, ending today or yesterday (today is not over yet),
 * on which the member visited or contributed. One missed day is forgiven (a "freeze") if no other
 * freeze was used in the 7 days before it, i.e. at most one per week; two missed days in a row,
 * or a second miss within a week, end the streak. Frozen days do not count towards the length.
 */
export function streakFrom(
  activeDays: Set<number>,
  today: number,
): { current: number; frozenDays: number[] } {
  let day = activeDays.has(today) ? today : today - 1;
  let current = 0;
  const frozen: number[] = [];
  while (day >= 0) {
    if (activeDays.has(day)) {
      current++;
      day--;
      continue;
    }
    const lastFreeze = frozen[frozen.length - 1];
    const freezeAllowed =
      current > 0 && activeDays.has(day - 1) && (lastFreeze === undefined || lastFreeze - day >= 7);
    if (!freezeAllowed) break;
    frozen.push(day);
    day--;
  }
  return { current, frozenDays: frozen };
}
