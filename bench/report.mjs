// Turns a results file of `npm run bench` into Markdown (tables + the targets, met or not) and
// the scale-curve chart (SVG, no network, no dependencies).
// Usage: node bench/report.mjs [bench/results/latest.json]  → prints Markdown, writes bench/results/scale.svg
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const fmt = (n) => (n == null ? '–' : Number(n).toLocaleString('en'));
const loadNote = (l) => (l ? `load ${l.join(' / ')}${Number(l[0]) > 1.5 ? ' (**under load**)' : ''}` : '');

export function table(results, run) {
  const lines = [
    `**${NAMES[run.dialect]} · ${fmt(run.threads)} threads · ${run.processes} process${run.processes > 1 ? 'es (hearth serve --processes 2)' : ''}** · idle RSS ${run.idleRss} MB/process · database ${fmt(run.dbSizeMb)} MB`,
    '',
    '| endpoint | conns | req/s | vs ceiling | p50 ms | p99 ms | errors | non-2xx | RSS MB | load (1/5/15 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of run.rows) {
    const c = results.ceiling?.[r.connections];
    lines.push(
      `| ${r.name} | ${r.connections} | ${fmt(r.rps)} | ${c ? `${((100 * r.rps) / c.rps).toFixed(0)}%` : '–'} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.rss} | ${r.load.join(' / ')} |`,
    );
  }
  return lines.join('\n');
}

const find = (results, { dialect, threads, processes = 1, key, connections = 10 }) =>
  results.runs
    .find((r) => r.dialect === dialect && r.threads === threads && r.processes === processes)
    ?.rows.find((x) => x.key === key && x.connections === connections);

export function targets(results) {
  const scales = [...new Set(results.runs.map((r) => r.threads))].sort((a, b) => a - b);
  const small = scales[0];
  const big = scales.at(-1);
  const out = ['| target | dialect | measured | met? |', '|---|---|---|---|'];
  const ceil = results.ceiling?.[10]?.rps;
  const yes = (b) => (b ? 'yes' : '**no**');
  for (const d of results.options.dialects) {
    const th = find(results, { dialect: d, threads: small, key: 'comments' });
    const t1 = find(results, { dialect: d, threads: small, key: 'thread' });
    if (th && ceil) {
      const ok = (r) => r.rps >= 8000 && r.rps >= ceil / 2 && r.p99 < 20;
      out.push(
        `| thread page ≥ 8,000 req/s, ≥ 50 % of ceiling (${fmt(ceil)}), p99 < 20 ms @10 | ${NAMES[d]} | comments (20): ${fmt(th.rps)} req/s (${((100 * th.rps) / ceil).toFixed(0)} %), p99 ${th.p99} ms; thread: ${fmt(t1?.rps)} req/s (${((100 * (t1?.rps ?? 0)) / ceil).toFixed(0)} %), p99 ${t1?.p99} ms | ${yes(ok(th) && t1 && ok(t1))} |`,
      );
    }
    const cp = find(results, { dialect: d, threads: small, key: 'comment_post' });
    const goal = d === 'sqlite' ? 1500 : 800;
    if (cp)
      out.push(
        `| comment post ≥ ${fmt(goal)}/s | ${NAMES[d]} | ${fmt(cp.rps)}/s, p99 ${cp.p99} ms, ${cp.errors + cp.non2xx} errors | ${yes(cp.rps >= goal)} |`,
      );
    const run1 = results.runs.find((r) => r.dialect === d && r.threads === small && r.processes === 1);
    if (run1)
      out.push(`| idle RSS < 150 MB | ${NAMES[d]} | ${run1.idleRss} MB | ${yes(run1.idleRss < 150)} |`);
    const feed = find(results, { dialect: d, threads: big, key: 'feed' });
    const hot =
      find(results, { dialect: d, threads: big, key: 'hot_member' }) ??
      find(results, { dialect: d, threads: big, key: 'hot' });
    const hotAnon = find(results, { dialect: d, threads: big, key: 'hot' });
    const search = find(results, { dialect: d, threads: big, key: 'search' });
    if (feed)
      out.push(
        `| home feed p99 < 25 ms @10, ${fmt(big)} threads | ${NAMES[d]} | p99 ${feed.p99} ms (p50 ${feed.p50}), ${fmt(feed.rps)} req/s | ${yes(feed.p99 < 25)} |`,
      );
    if (hotAnon)
      out.push(
        `| community hot list p99 < 10 ms @10, ${fmt(big)} threads | ${NAMES[d]} | anonymous p99 ${hotAnon.p99} ms${hot && hot !== hotAnon ? `, signed in p99 ${hot.p99} ms` : ''} | ${yes(hotAnon.p99 < 10 && (!hot || hot.p99 < 10))} |`,
      );
    if (search)
      out.push(
        `| search p99 < 50 ms, ${fmt(big)} threads | ${NAMES[d]} | p99 ${search.p99} ms (p50 ${search.p50}) | ${yes(search.p99 < 50)} |`,
      );
    if (big !== small)
      for (const key of ['feed', 'hot']) {
        const a = find(results, { dialect: d, threads: small, key });
        const b = find(results, { dialect: d, threads: big, key });
        if (!a || !b) continue;
        // p99 of a few ms is quantized to whole ms by autocannon: compare with a floor of 1 ms.
        const ratio = Math.max(1, b.p99) / Math.max(1, a.p99);
        out.push(
          `| ${key} latency at ${fmt(big)} within 1.5× of ${fmt(small)} | ${NAMES[d]} | p99 ${a.p99} → ${b.p99} ms (${ratio.toFixed(2)}×), p50 ${a.p50} → ${b.p50} ms | ${yes(ratio <= 1.5)} |`,
        );
      }
  }
  return out.join('\n');
}

/** Scale curve: p99 latency per read endpoint against the number of threads, one panel per dialect. */
export function chart(results) {
  const keys = [
    ['thread', 'thread (anon)', '#1f77b4'],
    ['comments', 'comments 20 (anon)', '#2ca02c'],
    ['hot', 'hot list (anon)', '#ff7f0e'],
    ['feed', 'home feed', '#d62728'],
    ['search', 'search', '#9467bd'],
  ];
  const dialects = results.options.dialects;
  const W = 380;
  const H = 260;
  const pad = { l: 48, r: 12, t: 30, b: 40 };
  const scales = [...new Set(results.runs.map((r) => r.threads))].sort((a, b) => a - b);
  let maxY = 1;
  for (const d of dialects)
    for (const s of scales)
      for (const [k] of keys)
        maxY = Math.max(maxY, find(results, { dialect: d, threads: s, key: k })?.p99 ?? 0);
  // A round tick step (1, 2 or 5 × 10^k) and an axis that ends on a tick.
  const raw = maxY / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  maxY = Math.ceil(maxY / step) * step;
  const lx = (s) => Math.log10(s);
  const [x0, x1] = [lx(scales[0]), lx(scales.at(-1)) || lx(scales[0]) + 1];
  const parts = [];
  dialects.forEach((d, i) => {
    const ox = i * W;
    const X = (s) => ox + pad.l + ((lx(s) - x0) / (x1 - x0 || 1)) * (W - pad.l - pad.r);
    const Y = (v) => pad.t + (1 - v / maxY) * (H - pad.t - pad.b);
    parts.push(
      `<text x="${ox + W / 2}" y="18" text-anchor="middle" font-weight="bold">${NAMES[d]}: p99 latency (ms) @10 connections</text>`,
    );
    parts.push(`<line x1="${ox + pad.l}" y1="${Y(0)}" x2="${ox + W - pad.r}" y2="${Y(0)}" stroke="#333"/>`);
    parts.push(`<line x1="${ox + pad.l}" y1="${Y(0)}" x2="${ox + pad.l}" y2="${Y(maxY)}" stroke="#333"/>`);
    for (let v = 0; v <= maxY + 1e-9; v += step) {
      parts.push(
        `<line x1="${ox + pad.l - 4}" y1="${Y(v)}" x2="${ox + W - pad.r}" y2="${Y(v)}" stroke="#ddd"/>`,
      );
      parts.push(`<text x="${ox + pad.l - 6}" y="${Y(v) + 4}" text-anchor="end">${v}</text>`);
    }
    for (const s of scales)
      parts.push(
        `<text x="${X(s)}" y="${H - pad.b + 16}" text-anchor="middle">${s >= 1e6 ? `${s / 1e6}M` : `${s / 1e3}k`}</text>`,
      );
    parts.push(`<text x="${ox + W / 2}" y="${H - 6}" text-anchor="middle">threads (log scale)</text>`);
    for (const [k, , color] of keys) {
      const pts = scales
        .map((s) => [s, find(results, { dialect: d, threads: s, key: k })?.p99])
        .filter(([, v]) => v != null);
      if (!pts.length) continue;
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([s, v]) => `${X(s).toFixed(1)},${Y(v).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const [s, v] of pts)
        parts.push(`<circle cx="${X(s).toFixed(1)}" cy="${Y(v).toFixed(1)}" r="3" fill="${color}"/>`);
    }
  });
  const legendY = H + 6;
  keys.forEach(([, label, color], i) => {
    const x = 20 + i * 150;
    parts.push(
      `<rect x="${x}" y="${legendY}" width="12" height="12" fill="${color}"/><text x="${x + 16}" y="${legendY + 11}">${label}</text>`,
    );
  });
  const width = Math.max(W * dialects.length, 780);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 30}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`;
}

export function report(results, { svgFile = path.join(root, 'bench/results/scale.svg') } = {}) {
  const scales = [...new Set(results.runs.map((r) => r.threads))];
  if (scales.length > 1) fs.writeFileSync(svgFile, chart(results));
  const m = results.machine;
  const head = [
    `## ${results.startedAt.slice(0, 10)} · commit ${results.commit} · \`npm run bench\``,
    '',
    `Machine: ${m.cpus} cores (${m.model}), ${m.memGiB} GiB, Node ${m.node}; server, database and autocannon share the cores. ` +
      `${results.options.seconds} s per endpoint after a 1 s warm-up. ${loadNote(results.loadBefore)} before, ${loadNote(results.loadAfter)} after ` +
      `(started ${results.startedAt}, finished ${results.finishedAt}).`,
    '',
    `Ceiling (bare Fastify, the 20-comment JSON, ${fmt(results.ceiling?.[10]?.bytes)} bytes, from memory): ` +
      Object.values(results.ceiling ?? {})
        .map((c) => `${fmt(c.rps)} req/s @${c.connections} (p99 ${c.p99} ms)`)
        .join(', '),
    '',
    '### Targets',
    '',
    targets(results),
    '',
  ];
  for (const run of results.runs) head.push(table(results, run), '');
  if (scales.length > 1) head.push(`![scale curve](bench/results/${path.basename(svgFile)})`, '');
  return head.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? path.join(root, 'bench/results/latest.json');
  console.log(report(JSON.parse(fs.readFileSync(file, 'utf8'))));
}
