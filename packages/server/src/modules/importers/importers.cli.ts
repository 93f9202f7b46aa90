import {
  CliError,
  configFromFlags,
  type DataFlags,
  databaseLabel,
  type Output,
  openApp,
} from '../../cli/options.ts';
import type { Config } from '../../config.ts';
import { rebuildAll } from '../analytics/analytics.cli.ts';
import { ProgressBar } from './progress.ts';
import { ImportFileError, ImportSetupError, importStackExchange } from './se.import.ts';

export interface ImportFlags extends DataFlags {
  community?: string;
  site?: string;
}

/** `hearth import stackexchange DIR`: progress on stderr, the summary on stdout. */
export async function importStackExchangeCommand(
  dir: string,
  flags: ImportFlags,
  out: Output,
  progressStream: { write(s: string): unknown; isTTY?: boolean } = process.stderr,
): Promise<void> {
  if (flags.community !== undefined && !/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/.test(flags.community))
    throw new CliError(
      `--community must be a community slug (3-50 lowercase letters, digits, dashes), got ${JSON.stringify(flags.community)}`,
      2,
    );
  const config: Config = configFromFlags(flags);
  const app = await openApp(config);
  const bar = new ProgressBar(progressStream);
  try {
    out.info(`Database: ${databaseLabel(config)}`);
    const s = await importStackExchange(
      { db: app.db, clock: app.clock },
      { dir, communitySlug: flags.community, siteUrl: flags.site, progress: (p) => bar.update(p) },
    );
    bar.done();
    const c = s.created;
    out.info(`Imported ${s.site} into community "${s.community.slug}" in ${s.seconds.toFixed(1)} s.`);
    out.info(
      `  this run: ${c.users} users, ${c.threads} threads, ${c.comments} comments (answers and comments), ${c.reactions} reactions, ${c.tags} new tags`,
    );
    out.info(
      `  in total: ${s.totals.users} users, ${s.totals.threads} threads, ${s.totals.answers} answers, ${s.totals.comments} comments, ${s.totals.reactions} reactions`,
    );
    for (const [why, n] of Object.entries(s.skipped)) out.info(`  skipped ${n} ${why}`);
    if (s.badgesRead) out.info(`  read ${s.badgesRead} badges (Hearth has no badges; not imported)`);
    if (c.users + c.threads + c.comments + c.reactions === 0)
      out.info('  nothing new: this dump was already imported (re-runs never duplicate).');
    // Imports emit no domain events: the analytics rollups are rebuilt from the imported rows.
    for (const line of await rebuildAll({ db: app.db, clock: app.clock }, s.community.slug, progressStream)) {
      out.info(`  ${line}`);
    }
  } catch (err) {
    bar.done();
    if (err instanceof ImportFileError)
      throw new CliError(`malformed dump: ${err.message} (nothing was written)`);
    if (err instanceof ImportSetupError) throw new CliError(err.message, 2);
    throw err;
  } finally {
    await app.close();
  }
}
