import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for tests that run the real `hearth serve` in child processes. */
export const BIN = fileURLToPath(new URL('../bin/hearth.js', import.meta.url));

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface Served {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Starts `hearth serve --no-demo [args]` and resolves once it prints its URL. */
export function serve(
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs = 60_000,
  args: string[] = [],
): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--no-demo', '--port', String(port), ...args], {
      env: { ...env, HEARTH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      if (out.includes('Hearth is running at')) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${port}`, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before starting:\n${out}`));
    });
  });
}

export function killHard(s: Served): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });
}

/** A JSON call to a served process's API; throws on 4xx/5xx with the answer. */
export async function callJson(base: string, method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test responses are checked field by field
  const out = { status: res.status, body: (await res.json()) as any };
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(out.body)}`);
  return out;
}

/** Signs up through a served process and returns an API token of the new account. */
export async function signUpToken(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.test`, password: 'long enough password' }),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('hearth_csrf='))!.split('=')[1]!;
  const tok = await fetch(`${base}/api/v1/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf },
    body: JSON.stringify({ name: 'test' }),
  });
  return ((await tok.json()) as { token: string }).token;
}

/**
 * The environment of a `hearth serve` a test starts: this process's, without its DATABASE_URL
 * (the test chooses the database; none = SQLite in the data directory), with a data directory
 * of its own (removed by `cleanups`) and rate limits out of the way; `extra` on top.
 */
export function serverEnv(
  cleanups: (() => unknown)[],
  name: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-${name}-`));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { DATABASE_URL: _, ...base } = process.env;
  return {
    ...base,
    HEARTH_DATA_DIR: dir,
    HEARTH_RATE_LIMIT_WRITES: '1000000',
    HEARTH_RATE_LIMIT_AUTH: '1000000',
    ...extra,
  };
}

/** Polls `ok` every 50 ms until it holds; throws naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
