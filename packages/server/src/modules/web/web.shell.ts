import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built web app (packages/web/dist, made by `npm run build`). Found by walking up
 * from this file, so it works from the TypeScript sources (src/modules/web) and from the
 * esbuild bundle (dist/cli) alike. HEARTH_WEB_DIST points elsewhere (tests; a separately
 * deployed build); set to a folder without index.html it turns the web app off.
 */
export function findWebDist(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.HEARTH_WEB_DIST) {
    const dir = path.resolve(env.HEARTH_WEB_DIST);
    return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'web', 'dist');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** What a page adds to the shell: head tags, the content shown before (or without) JavaScript. */
export interface PageParts {
  title: string;
  head?: string;
  body: string;
}

/**
 * index.html of the build, re-read when it changes (a rebuild while the server runs).
 * `render` puts a page's title, head tags and body into it: the body goes inside
 * <div id="root">, which the SPA replaces when it starts.
 */
export class Shell {
  private cached: { mtimeMs: number; html: string } | null = null;

  constructor(private readonly dist: string | null) {}

  get enabled(): boolean {
    return this.dist !== null;
  }

  private template(): string | null {
    if (!this.dist) return null;
    const file = path.join(this.dist, 'index.html');
    try {
      const { mtimeMs } = fs.statSync(file);
      if (!this.cached || this.cached.mtimeMs !== mtimeMs) {
        this.cached = { mtimeMs, html: fs.readFileSync(file, 'utf8') };
      }
      return this.cached.html;
    } catch {
      return null;
    }
  }

  /** The SPA's index.html as built (for every client-side route). */
  index(): string | null {
    return this.template();
  }

  render(parts: PageParts): string {
    const html = this.template();
    if (!html) return standalone(parts);
    return (
      html
        .replace(
          /<title>[^<]*<\/title>/,
          () => `<title>${escapeHtml(parts.title)}</title>${parts.head ?? ''}`,
        )
        .replace(ROOT, () => `<div id="root">${parts.body}</div>`)
        // The page has its content: the app's "needs JavaScript" note does not apply.
        .replace(/<noscript>[\s\S]*?<\/noscript>/, '')
    );
  }
}

// The SPA's mount point, as packages/web/index.html writes it.
const ROOT = '<div id="root"></div>';

/** Without a built web app: a complete page of its own (no script). */
function standalone(parts: PageParts): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(parts.title)}</title>${parts.head ?? ''}
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1f1a17;background:#fffdf9}
a{color:#9c3510}.meta{color:#5c534d;font-size:.9rem}.comments,.comments ol{list-style:none;padding-left:1rem}
.comments{padding-left:0}.comment{border-left:2px solid #eadfd6;padding:.25rem 0 .25rem .75rem;margin:.5rem 0}
pre{overflow:auto;background:#f6f1eb;padding:.5rem}img{max-width:100%}</style></head>
<body>${parts.body}</body></html>`;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
