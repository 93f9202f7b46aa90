/** Choices for how long a mute, ban or suspension lasts (hours; null: permanent, or the ladder for mutes). */
export const MUTE_DURATIONS: [number | null, string][] = [
  [null, 'As the ladder suggests'],
  [24, '24 hours'],
  [72, '3 days'],
  [168, '7 days'],
  [720, '30 days'],
];
export const BAN_DURATIONS: [number | null, string][] = [
  [168, '7 days'],
  [720, '30 days'],
  [2160, '90 days'],
  [8760, '1 year'],
  [null, 'Permanently'],
];

export function describeHours(h: number | null): string {
  if (h == null) return 'permanently';
  if (h % 24 === 0) return h === 24 ? '1 day' : `${h / 24} days`;
  return `${h} h`;
}

/** "Mute for 3 days", "Warn", "Ban permanently": the ladder's suggested step. */
export function describeStep(s: { action: string; durationHours: number | null }): string {
  const verb = s.action.charAt(0).toUpperCase() + s.action.slice(1);
  if (s.action === 'warn') return verb;
  if (s.action === 'ban' && s.durationHours == null) return 'Ban permanently';
  return `${verb} for ${describeHours(s.durationHours)}`;
}
