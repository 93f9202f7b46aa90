// Cached benchmark data sets (bench/feed-gen.mjs): generated once per dialect and size, then
// copied for every run, because a run writes (comments, sessions) and must start from the same state.
//   SQLite      bench/.cache/sqlite-v<GEN>-<threads>/hearth.sqlite, copied into a temp dir
//   PostgreSQL  database hearth_bench_v<GEN>_<threads>, copied with CREATE DATABASE ... TEMPLATE
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { GEN_VERSION, generate, refreshRanks } from '../feed-gen.mjs';

const root = path.resolve(import.meta.dirname, '../..');
export const CACHE_DIR = process.env.HEARTH_BENCH_CACHE || path.join(root, 'bench/.cache');

const withUrlDb = (url, name) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function pgQuery(adminUrl, text) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/** Makes sure the cached data set exists (generating it if not); returns its summary. */
export async function ensureDataset({ dialect, threads, adminUrl, log = console.error }) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tag = `v${GEN_VERSION}-${threads}`;
  const summaryFile = path.join(CACHE_DIR, `${dialect}-${tag}.json`);
  if (dialect === 'sqlite') {
    const dir = path.join(CACHE_DIR, `sqlite-${tag}`);
    const file = path.join(dir, 'hearth.sqlite');
    if (fs.existsSync(summaryFile) && fs.existsSync(file))
      return JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
    log(`generating ${threads} threads on SQLite (cached in ${dir})...`);
    const summary = await generate({ threads, sqliteFile: file });
    fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
    return summary;
  }
  const name = `hearth_bench_v${GEN_VERSION}_${threads}`;
  const exists = (await pgQuery(adminUrl, `select 1 from pg_database where datname = '${name}'`)).rowCount;
  if (exists && fs.existsSync(summaryFile)) return JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  await pgQuery(adminUrl, `drop database if exists ${name} with (force)`);
  await pgQuery(adminUrl, `create database ${name}`);
  log(`generating ${threads} threads on PostgreSQL (cached as database ${name})...`);
  const summary = await generate({ threads, databaseUrl: withUrlDb(adminUrl, name) });
  fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  return summary;
}

/**
 * A fresh working copy of the data set for one run, its stored ranks refreshed to now (as the
 * server's 5-minute rank job would have). Returns the server environment for it (DATABASE_URL or
 * HEARTH_DATA_DIR), its size, and `drop()`.
 *
 * The data set's dates are those of its generation (threads over the 365 days before it): the
 * older the cache, the fewer threads its 7-day window (hot lists, the home feed) still holds. A
 * warning says when it is more than a day old; delete the cached set to generate a fresh one.
 */
export async function workingCopy({ dialect, threads, adminUrl, log = console.error }) {
  const tag = `v${GEN_VERSION}-${threads}`;
  const summaryFile = path.join(CACHE_DIR, `${dialect}-${tag}.json`);
  const ageDays = (Date.now() - fs.statSync(summaryFile).mtimeMs) / 86_400_000;
  if (ageDays > 1)
    log(
      `warning: the ${dialect}-${tag} data set is ${ageDays.toFixed(1)} days old: its last 7 days are thinner`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
  if (dialect === 'sqlite') {
    fs.copyFileSync(path.join(CACHE_DIR, `sqlite-${tag}`, 'hearth.sqlite'), path.join(dir, 'hearth.sqlite'));
    await refreshRanks({ sqliteFile: path.join(dir, 'hearth.sqlite') });
    let size = 0;
    return {
      env: { DATABASE_URL: '', HEARTH_DATA_DIR: dir },
      sizeMb: () => size,
      drop: async () => {
        size = Math.round(fs.statSync(path.join(dir, 'hearth.sqlite')).size / 2 ** 20);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const template = `hearth_bench_v${GEN_VERSION}_${threads}`;
  const name = `hearth_bench_run_${process.pid}_${threads}`;
  await pgQuery(adminUrl, `drop database if exists ${name} with (force)`);
  await pgQuery(adminUrl, `create database ${name} template ${template}`);
  await refreshRanks({ databaseUrl: withUrlDb(adminUrl, name) });
  let size = 0;
  return {
    env: { DATABASE_URL: withUrlDb(adminUrl, name), HEARTH_DATA_DIR: dir },
    sizeMb: () => size,
    drop: async () => {
      const r = await pgQuery(adminUrl, `select pg_database_size('${name}') as b`);
      size = Math.round(Number(r.rows[0].b) / 2 ** 20);
      await pgQuery(adminUrl, `drop database if exists ${name} with (force)`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
