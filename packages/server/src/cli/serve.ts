import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { countUsers, DemoClock, type DemoSummary, seedDemo } from './demo.ts';
import { configFromFlags, databaseLabel, type Output, type ServerFlags } from './options.ts';

export interface ServeFlags extends ServerFlags {
  /** false with --no-demo. */
  demo: boolean;
}

const SHUTDOWN_GRACE_MS = 10_000;
const DUPLICATE_SIGNAL_MS = 2_000;

/**
 * `hearth serve`: one process serving the API (and, later, the web app), with
 * the outbox poller and periodic jobs running. An empty database gets the demo
 * community first, so a fresh install has something to look at.
 * Resolves once listening; the process then lives until SIGINT/SIGTERM.
 */
export async function serve(flags: ServeFlags, out: Output): Promise<void> {
  const config = configFromFlags(flags);
  const clock = new DemoClock();
  const app = await buildApp({ config, background: true, clock });
  let demo: DemoSummary | null = null;
  try {
    if (flags.demo && (await countUsers(app.db)) === 0) {
      out.info(`Empty database (${databaseLabel(config)}): adding the demo community (skip with --no-demo).`);
      demo = await seedDemo({ db: app.db, events: app.events, clock }, { log: out.info });
    }
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => {});
    throw err;
  }
  // Before announcing the URL: whoever waits for it may signal right away.
  stopOnSignals(app, out);
  const url = localUrl(app, config.host);
  out.info(`Hearth is running at ${url}  (API docs: ${url}/api/docs)`);
  if (demo) {
    out.info(
      `Demo log-in: username "${demo.login.username}", password "${demo.login.password}" (the same for every demo member)`,
    );
  }
  out.info('Press Ctrl+C to stop.');
}

/** The address to open in a browser: localhost for loopback and wildcard binds. */
function localUrl(app: FastifyInstance, host: string): string {
  const { port } = app.server.address() as AddressInfo;
  const local = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host);
  const name = local ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * Graceful stop: finish in-flight requests, stop the poller and jobs, close
 * the database. Another signal a while later forces the exit; one right after
 * the first is the same Ctrl+C arriving twice (the terminal signals the whole
 * process group and wrappers like `npm start` forward it too), so it is ignored.
 */
function stopOnSignals(app: FastifyInstance, out: Output): void {
  let stoppingSince: number | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
      out.error(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    out.info(`${signal} received: shutting down...`);
    const timer = setTimeout(() => {
      out.error(`error: shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting.`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    app.close().then(
      () => {
        out.info('Stopped.');
        process.exit(0);
      },
      (err: Error) => {
        out.error(`error: while shutting down: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
