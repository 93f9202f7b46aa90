import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderMarkdownMany } from '../content/content.markdown.ts';
import { htmlToMarkdown } from './se.convert.ts';

/** One post or comment to convert: an SE HTML body (posts) or comment text (comments). */
export interface ToConvert {
  source: string;
  html: boolean;
  excerpt: boolean;
}

export interface Converted {
  /** Markdown, what Hearth stores and edits. */
  body: string;
  /** The body rendered by Hearth's renderer and sanitizer (content.markdown.ts). */
  html: string;
  excerpt: string | null;
}

/**
 * SE HTML → Markdown, then Hearth's own renderer and sanitizer: imported HTML never reaches a
 * page without going through them. This is most of an import's CPU time, hence the workers.
 */
export function convert(items: ToConvert[]): Converted[] {
  const bodies = items.map((it) =>
    it.html ? htmlToMarkdown(it.source) : it.source.trim() || '(empty comment)',
  );
  const rendered = renderMarkdownMany(
    bodies,
    items.map((it) => it.excerpt),
  );
  return bodies.map((body, i) => ({ body, html: rendered[i]!.html, excerpt: rendered[i]!.excerpt }));
}

/**
 * Converts batches on worker threads (`size` of them; 0 converts on the calling thread), so the
 * rendering runs on every core while the main thread parses and writes. Results come back in
 * the order asked for; a worker that fails rejects the batches it holds (the import stops, and
 * what is committed stays: a re-run resumes).
 */
export class ConvertPool {
  private workers: { worker: Worker; busy: number }[] = [];
  private pending = new Map<number, { resolve: (c: Converted[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = spawnWorker();
      const slot = { worker, busy: 0 };
      worker.on('message', (m: { id: number; result?: Converted[]; error?: string }) => {
        slot.busy--;
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(`conversion failed: ${m.error}`));
        else p?.resolve(m.result!);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a conversion worker exited with code ${code}`));
      });
      this.workers.push(slot);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(err: Error) {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  run(items: ToConvert[]): Promise<Converted[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.workers.length || !items.length) {
      try {
        return Promise.resolve(convert(items));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, items });
    });
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.failure ??= new Error('the conversion pool is closed');
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

/**
 * The worker's code: the bundle's own entry (dist/cli/se-render-worker.mjs, next to hearth.mjs)
 * when running bundled, else the TypeScript source through tsx, like bin/hearth.js does.
 */
function spawnWorker(): Worker {
  const bundled = new URL('./se-render-worker.mjs', import.meta.url);
  if (import.meta.url.endsWith('.mjs') && fs.existsSync(fileURLToPath(bundled))) return new Worker(bundled);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const entry = new URL('./se.render.worker.ts', import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true },
  );
}
