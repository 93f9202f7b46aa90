import {
  CliError,
  configFromFlags,
  type DataFlags,
  databaseLabel,
  type Output,
  openApp,
} from '../../cli/options.ts';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { type RebuildProgress, rebuildCommunity } from './rebuild.ts';

/**
 * A progress line for rebuilds: redrawn in place on a terminal (at most every 100 ms), one
 * line per phase elsewhere (CI logs, pipes).
 */
export function rebuildProgress(slug: string, out: { write(s: string): unknown; isTTY?: boolean }) {
  let last = 0;
  let phase = '';
  return (p: RebuildProgress) => {
    if (!out.isTTY) {
      if (p.phase !== phase && p.phase !== 'done') out.write(`rebuilding ${slug}: ${p.phase}...\n`);
      phase = p.phase;
      return;
    }
    const now = Date.now();
    if (p.phase === phase && now - last < 100 && p.done < p.total) return;
    last = now;
    phase = p.phase;
    const pct = p.total > 0 ? Math.round((p.done / p.total) * 100) : 100;
    out.write(
      `\rrebuilding ${slug}: ${p.phase.padEnd(9)} ${String(pct).padStart(3)}% (${p.done}/${p.total})\u001b[K`,
    );
    if (p.phase === 'done') out.write('\n');
  };
}

/** Rebuilds one community's rollups, or every community's; returns a summary line per community. */
export async function rebuildAll(
  deps: { db: Db; clock: Clock },
  slug: string | undefined,
  progressStream: { write(s: string): unknown; isTTY?: boolean },
): Promise<string[]> {
  let q = deps.db.selectFrom('communities').select(['id', 'slug']).orderBy('id');
  if (slug) q = q.where('slug', '=', slug.toLowerCase());
  const communities = await q.execute();
  if (slug && communities.length === 0) throw new CliError(`no community "${slug}"`, 2);
  const lines: string[] = [];
  for (const c of communities) {
    const started = Date.now();
    const n = await rebuildCommunity(deps, c.id, rebuildProgress(c.slug, progressStream));
    lines.push(
      `Rebuilt analytics of "${c.slug}" in ${((Date.now() - started) / 1000).toFixed(1)} s: ${n.threads} threads, ${n.comments} comments, ${n.reactions} reactions, ${n.members} members.`,
    );
  }
  return lines;
}

/** `hearth analytics rebuild [--community slug]`. */
export async function analyticsRebuildCommand(
  flags: DataFlags & { community?: string },
  out: Output,
  progressStream: { write(s: string): unknown; isTTY?: boolean } = process.stderr,
): Promise<void> {
  const config = configFromFlags(flags);
  const app = await openApp(config);
  try {
    out.info(`Database: ${databaseLabel(config)}`);
    for (const line of await rebuildAll({ db: app.db, clock: app.clock }, flags.community, progressStream)) {
      out.info(line);
    }
  } finally {
    await app.close();
  }
}
