#!/usr/bin/env node
// The `hearth` command. `npm run build` bundles the TypeScript sources into
// dist/cli/hearth.mjs (esbuild, dependencies left external), which starts faster and
// uses less memory; without a bundle, or when a source file is newer than it, the
// sources run directly through tsx, so a checkout never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bundle = path.join(root, 'dist', 'cli', 'hearth.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const fresh = fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestSource(path.join(root, 'src'));
if (fresh) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
