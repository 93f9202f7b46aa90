// Stack Exchange import benchmark (issue 10: at least 20,000 posts+comments per second on SQLite).
// Usage:
//   node bench/import.mjs                      the real dumps, then a synthetic dump of 15,000 questions
//   node bench/import.mjs real                 the real dumps in ../shared/data, end to end
//   node bench/import.mjs synth [questions]    a synthetic dump (default 15,000 questions: ~120k posts+comments)
//   node bench/import.mjs gen [questions]      only generate (and cache) the synthetic dump
// Options: --workers N (passed to the import), --save (write bench/results/import-<date>.json).
// Database: SQLite in a temp dir, or PostgreSQL when DATABASE_URL is set (a new database per run,
// dropped after). Each run migrates a fresh database first (`hearth migrate`, not timed), then
// times the real command `hearth import stackexchange DIR` in a child process.
//
// Reported per run: wall time of the command (process start to exit, analytics rebuild included),
// the per-phase wall and CPU seconds the command prints (CPU of the whole process, conversion
// workers included; PostgreSQL's own CPU is not in it), and three rates of posts+comments
// (questions, answers, comments): end to end (command wall time), import (the import's phases,
// without process start and analytics rebuild) and steady state (the posts and comments phases
// only, where throughput is measured on a large dump). The load average is printed with every
// figure: on a shared machine, compare CPU seconds rather than wall time.
//
// The synthetic dump (bench/lib/se-synth.mjs) has the proportions of the real dumps (answers per
// question, comments and votes per post, users and badges per post) and bodies recombined from
// their HTML blocks; it is generated once into $HEARTH_BENCH_CACHE/se-synth-v<version>-<questions>
// (default: the OS temp dir).
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateDump, SYNTH_VERSION } from './lib/se-synth.mjs';

const root = path.resolve(import.meta.dirname, '..');
const hearth = path.join(root, 'packages/server/bin/hearth.js');
const dataDir = path.resolve(root, '../shared/data');
const realDumps = ['se-bicycles-meta', 'se-conlang-meta'].map((d) => path.join(dataDir, d));
const adminUrl = process.env.DATABASE_URL ?? null;
const dialect = adminUrl ? 'PostgreSQL' : 'SQLite';
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const workers = flag('--workers');
const save = args.includes('--save');
if (save) args.splice(args.indexOf('--save'), 1);
const mode = args[0] ?? 'all';
const questions = Number(args[1] ?? 15000);

/** A fresh database: a temp SQLite dir, or a new PostgreSQL database. */
async function freshDb(tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-bench-import-${tag}-`));
  if (!adminUrl) return { dir, env: {}, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  const name = `hearth_bench_import_${tag.replace(/[^a-z0-9]/g, '_')}_${process.pid}`;
  const admin = async (q) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dir,
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin(`drop database if exists ${name} with (force)`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function run(cmdArgs, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hearth, ...cmdArgs], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`hearth ${cmdArgs[0]} exited ${code}\n${err}${out}`)),
    );
  });
}

/** Migrates a fresh database, then times `hearth import stackexchange dir`. */
async function measure(dir, label) {
  const db = await freshDb(path.basename(dir));
  try {
    const env = db.env;
    await run(['migrate', '--data', db.dir], env);
    const loadBefore = load();
    const started = performance.now();
    const out = await run(
      [
        'import',
        'stackexchange',
        dir,
        '--data',
        db.dir,
        ...(workers !== undefined ? ['--workers', workers] : []),
      ],
      env,
    );
    const wall = (performance.now() - started) / 1000;
    const created = out.match(/this run: (\d+) users, (\d+) threads, (\d+) comments .*?, (\d+) reactions/);
    if (!created) throw new Error(`unexpected output:\n${out}`);
    const [users, threads, comments, reactions] = created.slice(1).map(Number);
    const phases = Object.fromEntries(
      [...(out.match(/phases: (.*)/)?.[1] ?? '').matchAll(/(\w+) ([\d.]+) s \(cpu ([\d.]+) s\)/g)].map(
        (m) => [m[1], { seconds: Number(m[2]), cpuSeconds: Number(m[3]) }],
      ),
    );
    const sum = (names, key) => names.reduce((a, n) => a + (phases[n]?.[key] ?? 0), 0);
    const importPhases = Object.keys(phases).filter((n) => n !== 'analytics');
    const items = threads + comments;
    const result = {
      label,
      dialect,
      items,
      counts: { users, threads, comments, reactions },
      wallSeconds: wall,
      phases,
      rates: {
        endToEnd: items / wall,
        import: items / sum(importPhases, 'seconds'),
        steadyState: items / sum(['posts', 'comments'], 'seconds'),
        perCpuSecond: items / sum(importPhases, 'cpuSeconds'),
      },
      load: { before: loadBefore, after: load() },
    };
    print(result);
    return result;
  } finally {
    await db.drop();
  }
}

function print(r) {
  const f = (n) => Math.round(n).toLocaleString('en-US');
  console.log(
    `\n${r.label} · ${r.dialect} · ${f(r.items)} posts+comments (${f(r.counts.threads)} questions, ${f(r.counts.comments)} answers and comments), ${f(r.counts.users)} users, ${f(r.counts.reactions)} votes`,
  );
  console.log(`  command wall time ${r.wallSeconds.toFixed(2)} s · load ${r.load.before} → ${r.load.after}`);
  console.log('  phase        wall s    cpu s');
  for (const [name, p] of Object.entries(r.phases))
    console.log(
      `  ${name.padEnd(10)} ${p.seconds.toFixed(2).padStart(8)} ${p.cpuSeconds.toFixed(2).padStart(8)}`,
    );
  console.log(
    `  posts+comments/s: end to end ${f(r.rates.endToEnd)} · import ${f(r.rates.import)} · steady state (posts + comments phases) ${f(r.rates.steadyState)} · per CPU second of the import ${f(r.rates.perCpuSecond)}  (target 20,000 on SQLite)`,
  );
}

function synthDir(n) {
  const cache = process.env.HEARTH_BENCH_CACHE ?? os.tmpdir();
  const dir = path.join(cache, `se-synth-v${SYNTH_VERSION}-${n}`);
  if (!fs.existsSync(path.join(dir, 'SOURCE.txt'))) {
    const started = performance.now();
    const tmp = `${dir}.tmp-${process.pid}`;
    const counts = generateDump({ sources: realDumps, out: tmp, questions: n });
    fs.renameSync(tmp, dir);
    console.log(
      `generated ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`,
    );
  }
  return dir;
}

// The esbuild bundle is what `hearth` runs (without it, or older than a source, tsx compiles the
// sources at every start, seconds of CPU that are no part of an import).
if (mode !== 'gen') execSync('npm run build -w @hearth/server', { cwd: root, stdio: 'ignore' });

const results = [];
if (!realDumps.every((d) => fs.existsSync(path.join(d, 'Posts.xml')))) {
  console.error(`the real dumps are not in ${dataDir} (the shared data sets)`);
  process.exit(1);
}
if (mode === 'gen') {
  console.log(synthDir(questions));
} else {
  if (mode === 'all' || mode === 'real')
    for (const d of realDumps) results.push(await measure(d, path.basename(d)));
  if (mode === 'all' || mode === 'synth')
    results.push(await measure(synthDir(questions), `synthetic ${questions} questions`));
  if (save) {
    const file = path.join(
      root,
      'bench/results',
      `import-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.json`,
    );
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${file}`);
  }
}
