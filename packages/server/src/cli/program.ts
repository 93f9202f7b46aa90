import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { analyticsRebuildCommand } from '../modules/analytics/analytics.cli.ts';
import { importStackExchangeCommand } from '../modules/importers/importers.cli.ts';
import { AppError } from '../platform/errors.ts';
import { createUser, demo, migrate } from './commands.ts';
import { DEMO_PASSWORD } from './demo.ts';
import { CliError, type Output, stdio } from './options.ts';
import { type ServeFlags, serve } from './serve.ts';

/**
 * The `hearth` command. Exit codes: 0 done, 1 failed, 2 bad usage or
 * configuration (flags, environment variables). runCli resolves to the code
 * to exit with, or null while a server keeps the process alive.
 */
export async function runCli(argv: string[], out: Output = stdio): Promise<number | null> {
  let result: number | null = 0;
  const program = buildProgram(out, () => {
    result = null;
  });
  try {
    await program.parseAsync(argv);
    return result;
  } catch (err) {
    return report(err, out);
  }
}

const dataOption = ['--data <dir>', 'data directory (default: $HEARTH_DATA_DIR or ./.hearth)'] as const;

function buildProgram(out: Output, serving: () => void): Command {
  const program = new Command('hearth')
    .description('Hearth: a self-hosted home for micro-communities.')
    .version(packageVersion(), '-v, --version')
    // Throw instead of exiting, so every failure goes through report() (exit code 2 for usage errors).
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      '\nConfiguration comes from environment variables: DATABASE_URL (postgres://...; default SQLite in the data\n' +
        'directory), HEARTH_DATA_DIR, PORT, HOST, HEARTH_LOG_LEVEL, HEARTH_PUBLIC_URL, HEARTH_TRUST_PROXY.',
    );

  program
    .command('serve')
    .description('run the server (an empty database first gets the demo community)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)')
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .option(...dataOption)
    .option('--no-demo', 'do not add the demo community to an empty database')
    .option(
      '--processes <n>',
      'server processes sharing the port: a number, or "auto" for one per core (default: $HEARTH_PROCESSES or 1)',
    )
    .action(async (flags: ServeFlags) => {
      await serve(flags, out);
      serving();
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option(...dataOption)
    .action(async (flags) => migrate(flags, out));

  program
    .command('demo')
    .description(
      `add the demo community: 30 members (password "${DEMO_PASSWORD}"), 3 communities, threads, comments`,
    )
    .option(...dataOption)
    .option('--force', 'add it even though the database already has users')
    .action(async (flags) => demo(flags, out));

  const admin = program.command('admin').description('administration tasks');
  admin
    .command('create-user')
    .description('create an account (optionally a site admin); prints a generated password if none is given')
    .requiredOption('--username <name>', '3-30 letters, digits or underscores')
    .requiredOption('--email <email>', 'email address')
    .option('--password <password>', 'at least 10 characters (default: generate a strong one)')
    .option('--display-name <name>', 'display name (default: the username)')
    .option('--admin', 'make the account a site admin (moderator everywhere)')
    .option(...dataOption)
    .action(async (flags) => createUser(flags, out));

  program
    .command('import')
    .description('import content from elsewhere')
    .command('stackexchange <dir>')
    .description(
      'import a Stack Exchange data dump folder (Posts.xml, Users.xml, ...) into one community; re-runs resume',
    )
    .option('--community <slug>', 'target community, created if missing (default: the folder name)')
    .option('--site <url>', 'the site of the dump, for attribution links (default: from SOURCE.txt)')
    .option('--workers <n>', 'threads converting and rendering bodies (default: one per core; 0: none)')
    .option(...dataOption)
    .action(async (dir: string, flags) => importStackExchangeCommand(dir, flags, out));

  program
    .command('analytics')
    .description('engagement analytics')
    .command('rebuild')
    .description(
      "rebuild communities' analytics rollups from their content, with original dates (after an import)",
    )
    .option('--community <slug>', 'only this community (default: every community)')
    .option(...dataOption)
    .action(async (flags) => analyticsRebuildCommand(flags, out));

  return program;
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

// Errors that mean "the database is not reachable or not usable", whatever the dialect.
const DB_CONNECT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  '28P01',
  '28000',
  '3D000',
  'SQLITE_CANTOPEN',
]);

/** One clear line on stderr per failure; returns the exit code. */
function report(err: unknown, out: Output): number {
  // commander has already printed its message (or the help / version).
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof CliError) {
    out.error(`error: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof ConfigError) {
    out.error(`error: ${err.message}`);
    return 2;
  }
  if (err instanceof AppError) {
    out.error(`error: ${err.message}`);
    return 1;
  }
  const e = err as Error & { code?: string; errors?: Error[] };
  // A connection refused on every address of a host is an AggregateError with an empty message.
  const message = e?.message || e?.errors?.map((x) => x.message).join('; ') || String(err);
  if (e?.code && DB_CONNECT.has(e.code)) {
    const hint = process.env.DATABASE_URL ? 'check DATABASE_URL' : 'check HEARTH_DATA_DIR or --data';
    out.error(`error: cannot use the database: ${message} (${hint})`);
  } else {
    out.error(`error: ${message}`);
    if (process.env.HEARTH_LOG_LEVEL === 'debug' || process.env.HEARTH_LOG_LEVEL === 'trace')
      out.error(String(e?.stack));
    else out.error('(set HEARTH_LOG_LEVEL=debug for the stack trace)');
  }
  return 1;
}
