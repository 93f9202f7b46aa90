import { useMemberLevel } from './levels.ts';

/** The member's flair (or level name) next to their name; nothing for level 1 without flair. */
export function LevelChip({ slug, username }: { slug: string | undefined; username: string }) {
  const level = useMemberLevel(slug, username);
  if (!level || (level.level === 1 && !level.flair)) return null;
  return (
    <span className="level-chip" title={`Level ${level.level}: ${level.levelName} · ${level.points} points`}>
      {level.flair ?? level.levelName}
    </span>
  );
}

/** A badge with its tier, as a pill. */
export function BadgePill({ name, tier, title }: { name: string; tier: string; title?: string }) {
  return (
    <span className={`badge-pill tier-${tier}`} title={title}>
      <span aria-hidden="true" className="tier-dot" />
      {name}
      <span className="visually-hidden"> ({tier})</span>
    </span>
  );
}
