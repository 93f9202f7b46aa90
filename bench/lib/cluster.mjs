// Starts what a benchmark run drives: the real `hearth serve`, with N server processes when
// N > 1 (`--processes N`: they share the port, and pub/sub through the first process).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const HEARTH_BIN = path.join(root, 'packages/server/bin/hearth.js');

export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function waitFor(child, text, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), timeoutMs);
    const onData = (d) => {
      out += d;
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before starting:\n${out}`));
    });
  });
}

function stop(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * `hearth serve --processes N` on the environment `env` (database, data dir): one command, N
 * server processes sharing the port (node:cluster), pub/sub through the first process.
 */
export async function startCluster({ processes = 1, env }) {
  const port = await freePort();
  const args = [HEARTH_BIN, 'serve', '--no-demo', '--port', String(port), '--processes', String(processes)];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      ...env,
      HEARTH_LOG_LEVEL: 'warn',
      HEARTH_RATE_LIMIT_WRITES: '100000000',
      HEARTH_RATE_LIMIT_AUTH: '100000000',
      // One member posting a thousand comments a second is a flood by design: automatic
      // moderation's heuristics would refuse it. Sanctions and watched words still apply.
      HEARTH_AUTOMOD: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (d) => process.stderr.write(`[server] ${d}`));
  // Migrations run at start; one that rebuilds an index on a 1M data set takes minutes.
  await waitFor(child, 'Hearth is running', 'server', 15 * 60_000);
  /** The server processes: the command's own, or the ones it forked. */
  const servers = () => {
    if (processes === 1) return [child.pid];
    const file = `/proc/${child.pid}/task/${child.pid}/children`;
    return fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
      : [];
  };
  return {
    base: `http://127.0.0.1:${port}`,
    pids: servers(),
    /** Sum of the servers' resident memory, MB. */
    rss: () => servers().reduce((s, pid) => s + rssMb(pid), 0),
    stop: () => stop(child),
  };
}
