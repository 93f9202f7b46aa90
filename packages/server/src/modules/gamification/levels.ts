import { DEFAULT_SETTINGS, type LevelDef } from './settings.ts';

/** Default level names and thresholds (communities choose their own in their settings). */
export const DEFAULT_LEVELS = DEFAULT_SETTINGS.levels;

export interface LevelInfo {
  /** 1-based position in the community's list. */
  level: number;
  name: string;
  minPoints: number;
  /** Points at which the next level starts; null at the top. */
  nextAt: number | null;
  flair: string | null;
}

/** The level `points` (earned, never reduced by spending) reach in a list sorted by minPoints. */
export function levelFor(points: number, levels: readonly LevelDef[] = DEFAULT_LEVELS): LevelInfo {
  let index = 0;
  levels.forEach((l, i) => {
    if (points >= l.minPoints) index = i;
  });
  const current = levels[index]!;
  return {
    level: index + 1,
    name: current.name,
    minPoints: current.minPoints,
    nextAt: levels[index + 1]?.minPoints ?? null,
    flair: current.perks.flair,
  };
}

/** Everything the member's level unlocks: the flair of their level, and the perks of every level up to it. */
export function perksFor(points: number, levels: readonly LevelDef[]) {
  const { level, flair } = levelFor(points, levels);
  const reached = levels.slice(0, level);
  return {
    flair,
    tags: [...new Set(reached.flatMap((l) => l.perks.tags))].sort(),
    earlyEventAccessHours: Math.max(0, ...reached.map((l) => l.perks.earlyEventAccessHours)),
  };
}

/** Level-gated tags: tag → the (1-based) level that first unlocks it. */
export function gatedTags(levels: readonly LevelDef[]): Map<string, number> {
  const gates = new Map<string, number>();
  levels.forEach((l, i) => {
    for (const t of l.perks.tags) if (!gates.has(t)) gates.set(t, i + 1);
  });
  return gates;
}
