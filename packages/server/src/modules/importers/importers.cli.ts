import { performance } from 'node:perf_hooks';
import {
  CliError,
  configFromFlags,
  type DataFlags,
  databaseLabel,
  type Output,
  openDatabase,
} from '../../cli/options.ts';
import type { Config } from '../../config.ts';
import { rebuildAll } from '../analytics/analytics.cli.ts';
import { ProgressBar } from './progress.ts';
import { ImportFileError, ImportInterrupted, ImportSetupError, importStackExchange } from './se.import.ts';

export interface ImportFlags extends DataFlags {
  community?: string;
  site?: string;
  workers?: string;
}

const seconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;

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
  if (flags.workers !== undefined && !/^\d{1,2}$/.test(flags.workers))
    throw new CliError(
      `--workers must be a number of threads (0-99), got ${JSON.stringify(flags.workers)}`,
      2,
    );
  const config: Config = configFromFlags(flags);
  const app = await openDatabase(config);
  const bar = new ProgressBar(progressStream);
  // Ctrl-C stops between two batches (each is one transaction); a second one quits at once.
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
    progressStream.write('\nstopping after the current batch (Ctrl-C again to quit now)...\n');
  };
  process.on('SIGINT', onSigint);
  try {
    out.info(`Database: ${databaseLabel(config)}`);
    const s = await importStackExchange(
      { db: app.db, clock: app.clock },
      {
        dir,
        communitySlug: flags.community,
        siteUrl: flags.site,
        workers: flags.workers === undefined ? undefined : Number(flags.workers),
        progress: (p) => bar.update(p),
        signal: stop.signal,
      },
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
    const rebuildStarted = performance.now();
    const rebuildCpu = process.cpuUsage();
    for (const line of await rebuildAll({ db: app.db, clock: app.clock }, s.community.slug, progressStream)) {
      out.info(`  ${line}`);
    }
    const cpu = process.cpuUsage(rebuildCpu);
    const phases = [
      ...s.phases,
      {
        name: 'analytics',
        seconds: (performance.now() - rebuildStarted) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      },
    ];
    // Wall time per phase, CPU time of the process (conversion workers included) in brackets.
    out.info(
      `  phases: ${phases.map((p) => `${p.name} ${seconds(p.seconds)} (cpu ${seconds(p.cpuSeconds)})`).join(', ')}`,
    );
  } catch (err) {
    bar.done();
    if (err instanceof ImportFileError)
      throw new CliError(`malformed dump: ${err.message} (nothing was written)`);
    if (err instanceof ImportSetupError) throw new CliError(err.message, 2);
    if (err instanceof ImportInterrupted)
      throw new CliError(
        `${err.message}: every batch written so far is complete; run the same command again to import the rest (nothing is duplicated)`,
        130,
      );
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    await app.close();
  }
}
