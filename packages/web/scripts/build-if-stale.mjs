// Builds the web app (vite build) only when dist/ is missing or older than a source
// file, so `npm start` stays quick after the first run. Used by the root `build` script.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const built = path.join(root, 'dist', 'index.html');

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of fs.readdirSync(p)) n = Math.max(n, newest(path.join(p, e)));
  return n;
}

const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((f) =>
  path.join(root, f),
);
const sourceTime = Math.max(...inputs.filter((f) => fs.existsSync(f)).map(newest));
if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sourceTime) {
  console.log('web app: dist/ is up to date');
  process.exit(0);
}
console.log('web app: building dist/ (vite build)');
const vite = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('vite/package.json'))),
  'bin',
  'vite.js',
);
// NODE_ENV=production whoever calls (a test runner sets "test", which would bundle React's development build).
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
process.exit(r.status ?? 1);
