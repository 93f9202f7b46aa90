import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { relayPubSub } from '../platform/pubsub.ts';
import { countUsers, DemoClock, type DemoSummary, seedDemo } from './demo.ts';
import {
  CliError,
  configFromFlags,
  databaseLabel,
  type Output,
  openDatabase,
  type ServerFlags,
  UsageError,
} from './options.ts';

export interface ServeFlags extends ServerFlags {
  /** false with --no-demo. */
  demo: boolean;
  /** --processes: how many server processes share the port (a number, or "auto": one per core). */
  processes?: string;
}

const SHUTDOWN_GRACE_MS = 10_000;
const DUPLICATE_SIGNAL_MS = 2_000;

/**
 * `hearth serve`: one process serving the API and the web app, with
 * the outbox poller and periodic jobs running (or N of them: --processes). An empty database gets the demo
 * community first, so a fresh install has something to look at.
 * Resolves once listening; the process then lives until SIGINT/SIGTERM.
 */
export async function serve(flags: ServeFlags, out: Output): Promise<void> {
  const processes =
    flags.processes !== undefined
      ? parseProcesses(flags.processes, '--processes')
      : parseProcesses(process.env.HEARTH_PROCESSES, 'HEARTH_PROCESSES');
  const config = configFromFlags(flags);
  if (cluster.isWorker) return serveWorker(config, out);
  if (processes > 1) return servePrimary(flags, config, processes, out);
  const clock = new DemoClock();
  const app = await buildApp({ config, background: true, clock });
  let demo: DemoSummary | null = null;
  try {
    if (flags.demo && (await countUsers(app.db)) === 0) demo = await addDemo(app, clock, config, out);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => {});
    throw err;
  }
  // Before announcing the URL: whoever waits for it may signal right away.
  stopOnSignals(app, out);
  announce(localUrl(app.server.address() as AddressInfo, config.host), demo, out);
}

/** --processes / HEARTH_PROCESSES: 1 to 64, or "auto" (one per core). */
export function parseProcesses(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 1;
  if (value === 'auto') return Math.min(64, os.availableParallelism());
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 64)
    throw new UsageError(`${name} must be a number from 1 to 64 or "auto", got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Seeds the demo community into the (empty) database of `app`, saying so. */
function addDemo(app: FastifyInstance, clock: DemoClock, config: Config, out: Output): Promise<DemoSummary> {
  out.info(`Empty database (${databaseLabel(config)}): adding the demo community (skip with --no-demo).`);
  return seedDemo({ db: app.db, events: app.events, clock }, { log: out.info });
}

function announce(url: string, demo: DemoSummary | null, out: Output, processes = 1): void {
  const many = processes > 1 ? `, ${processes} processes` : '';
  out.info(`Hearth is running at ${url}  (API docs: ${url}/api/docs${many})`);
  if (demo) {
    out.info(
      `Demo log-in: username "${demo.login.username}", password "${demo.login.password}" (the same for every demo member)`,
    );
  }
  out.info('Press Ctrl+C to stop.');
}

/**
 * `hearth serve --processes N`: this process migrates and seeds the demo, then forks N server
 * processes that share the port (node:cluster hands each new connection to the next one).
 * They share the database; messages between them (live events, cache invalidation) go through
 * Redis when REDIS_URL is set, else through this process (IpcPubSub). Outbox events and periodic
 * jobs are leased in the database, so each runs once whichever process takes it. A server
 * process that dies is replaced; one that cannot start stops them all.
 */
async function servePrimary(flags: ServeFlags, config: Config, processes: number, out: Output) {
  // Migrations with the database alone; the whole app (routes, handlers) only to seed the demo.
  // This process then only hands out connections: it stays small.
  const { db, close } = await openDatabase(config);
  let empty: boolean;
  try {
    empty = flags.demo && (await countUsers(db)) === 0;
  } finally {
    await close();
  }
  let demo: DemoSummary | null = null;
  if (empty) {
    const clock = new DemoClock();
    const setup = await buildApp({ config, clock, logger: false });
    try {
      demo = await addDemo(setup, clock, config, out);
    } finally {
      await setup.close();
    }
  }
  let stopping = false;
  const workers = new Set<Worker>();
  const started: number[] = [];
  let address: AddressInfo | null = null;
  const fork = () => {
    const w = cluster.fork();
    workers.add(w);
    w.on('message', (m) => relayPubSub(w, m, workers));
    return w;
  };
  const listening = new Promise<void>((resolve, reject) => {
    let ready = 0;
    cluster.on('listening', (_w, a) => {
      address = { address: a.address ?? config.host, port: a.port, family: '' };
      if (++ready === processes) resolve();
    });
    cluster.on('exit', (w, code, signal) => {
      workers.delete(w);
      if (stopping) return;
      if (ready < processes) {
        stopping = true;
        for (const other of workers) other.process.kill('SIGTERM');
        reject(
          new CliError(`a server process exited before it was listening (${signal ?? `exit code ${code}`})`),
        );
        return;
      }
      // Exit code 0: it was asked to stop (a Ctrl+C reaches every process of the terminal's
      // group, this one too, which then stops the rest); the last one gone, so are we.
      if (code === 0) {
        if (workers.size === 0) process.exit(0);
        return;
      }
      // Replaced at once, unless processes keep dying (then the cause is not going away).
      const now = Date.now();
      started.push(now);
      while (started.length > 0 && started[0]! < now - 60_000) started.shift();
      if (started.length > 5 * processes) {
        out.error('error: server processes keep exiting; stopping.');
        stopAll(workers, out, 1);
        stopping = true;
        return;
      }
      out.error(`A server process exited (${signal ?? `exit code ${code}`}); starting another.`);
      fork();
    });
  });
  for (let i = 0; i < processes; i++) fork();
  await listening;
  let stoppingSince: number | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
      out.error(`${signal} again: exiting without waiting.`);
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(1);
    }
    stoppingSince = Date.now();
    stopping = true;
    out.info(`${signal} received: shutting down...`);
    stopAll(workers, out, 0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  announce(localUrl(address!, config.host), demo, out, processes);
}

/** Asks every server process to stop (each finishes its requests), then exits with `code`. */
function stopAll(workers: Set<Worker>, out: Output, code: number): void {
  const timer = setTimeout(() => {
    out.error(`error: shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting.`);
    for (const w of workers) w.process.kill('SIGKILL');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS + 1_000);
  timer.unref();
  const done = () => {
    if (workers.size > 0) return;
    out.info('Stopped.');
    process.exit(code);
  };
  cluster.on('exit', done);
  for (const w of workers) w.process.kill('SIGTERM');
  done();
}

/** One of the primary's server processes: serves until the primary (or a signal) stops it. */
async function serveWorker(config: Config, out: Output): Promise<void> {
  const app = await buildApp({ config, background: true, migrate: false });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => {});
    throw err;
  }
  // The primary speaks for all of them; a worker only reports its errors.
  stopOnSignals(app, { info: () => {}, error: out.error });
  // The primary gone (killed) means nobody hands out connections any more: stop too.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** The address to open in a browser: localhost for loopback and wildcard binds. */
function localUrl({ port }: AddressInfo, host: string): string {
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
