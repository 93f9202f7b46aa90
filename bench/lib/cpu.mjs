// In-process cost of a request, shared by bench/feed-cpu.mjs and bench/search-cpu.mjs: sequential
// calls, wall time and CPU time (this process, and PostgreSQL's backends), optionally a CPU profile.
import fs from 'node:fs';
import { sql } from 'kysely';

/** CPU ms used so far by the PostgreSQL backends serving `db`'s database (Linux /proc). */
export async function pgBackendCpuMs(db) {
  const pids = (
    await sql`select pid from pg_stat_activity where datname = current_database()`.execute(db)
  ).rows.map((r) => r.pid);
  const hz = 100; // USER_HZ: clock ticks per second on Linux
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch {}
  }
  return (ticks * 1000) / hz;
}

/** This process's CPU profiler (node:inspector): `start()`, then `stop()` gives the profile. */
export async function cpuProfiler() {
  const session = new (await import('node:inspector')).Session();
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))),
    );
  session.connect();
  await post('Profiler.enable');
  return { start: () => post('Profiler.start'), stop: async () => (await post('Profiler.stop')).profile };
}

const ms = (x) => Math.round(x * 100) / 100;

/**
 * `runs` sequential calls of `call`: median and p90 wall ms, this process's CPU ms per call
 * (every thread: for SQLite that is all of it) and, with `db` on PostgreSQL, its backends' CPU ms
 * per call; with a `profiler`, also the profile of just these calls.
 */
export async function timeCalls(call, runs, { db = null, profiler = null } = {}) {
  const walls = [];
  const db0 = db ? await pgBackendCpuMs(db) : 0;
  if (profiler) await profiler.start();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await call();
    walls.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  const profile = profiler ? await profiler.stop() : null;
  const db1 = db ? await pgBackendCpuMs(db) : 0;
  walls.sort((a, b) => a - b);
  return {
    medianMs: ms(walls[Math.floor(runs / 2)]),
    p90Ms: ms(walls[Math.floor(runs * 0.9)]),
    cpuMs: ms((cpu.user + cpu.system) / 1000 / runs),
    ...(db ? { dbCpuMs: ms((db1 - db0) / runs) } : {}),
    profile,
  };
}
