/** Default level thresholds (community-chosen names are not built yet; see README). */
export const DEFAULT_LEVELS = [
  { level: 1, name: 'Newcomer', minPoints: 0 },
  { level: 2, name: 'Regular', minPoints: 25 },
  { level: 3, name: 'Contributor', minPoints: 100 },
  { level: 4, name: 'Pillar', minPoints: 500 },
] as const;

export function levelFor(points: number) {
  let current: (typeof DEFAULT_LEVELS)[number] = DEFAULT_LEVELS[0];
  for (const l of DEFAULT_LEVELS) if (points >= l.minPoints) current = l;
  const next = DEFAULT_LEVELS.find((l) => l.minPoints > points) ?? null;
  return {
    level: current.level,
    name: current.name,
    minPoints: current.minPoints,
    nextAt: next?.minPoints ?? null,
  };
}
