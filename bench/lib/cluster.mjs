// Starts what a benchmark run drives: 1..N real `hearth serve` processes, a round-robin TCP
// proxy in front of them when N > 1, and a throwaway Redis (its own port) so the processes
// share pub/sub (cache invalidation) and rate limits without touching anyone else's Redis.
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

export async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await waitFor(child, 'Ready to accept connections', 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, child, stop: () => stop(child) };
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
 * Starts `processes` servers on the environment `env` (database, data dir); with more than one,
 * a proxy (bench/lib/proxy.mjs, its own process) spreads connections over them round-robin.
 */
export async function startCluster({ processes = 1, env, redisUrl = null }) {
  const children = [];
  const ports = [];
  for (let i = 0; i < processes; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, [HEARTH_BIN, 'serve', '--no-demo', '--port', String(port)], {
      env: {
        ...process.env,
        ...env,
        ...(redisUrl && { REDIS_URL: redisUrl }),
        HEARTH_LOG_LEVEL: 'warn',
        HEARTH_RATE_LIMIT_WRITES: '100000000',
        HEARTH_RATE_LIMIT_AUTH: '100000000',
        // One member posting a thousand comments a second is a flood by design: automatic
        // moderation's heuristics would refuse it. Sanctions and watched words still apply.
        HEARTH_AUTOMOD: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.on('data', (d) => process.stderr.write(`[server ${i}] ${d}`));
    // Migrations run at start; one that rebuilds an index on a 1M data set takes minutes.
    await waitFor(child, 'Hearth is running', `server ${i}`, 15 * 60_000);
    children.push(child);
    ports.push(port);
  }
  let proxy = null;
  let port = ports[0];
  if (processes > 1) {
    port = await freePort();
    proxy = spawn(
      process.execPath,
      [path.join(import.meta.dirname, 'proxy.mjs'), String(port), ...ports.map(String)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await waitFor(proxy, 'proxy ready', 'proxy');
  }
  return {
    base: `http://127.0.0.1:${port}`,
    pids: children.map((c) => c.pid),
    /** Sum of the servers' resident memory, MB. */
    rss: () => children.reduce((s, c) => s + rssMb(c.pid), 0),
    stop: async () => {
      if (proxy) await stop(proxy);
      await Promise.all(children.map((c) => stop(c)));
    },
  };
}
