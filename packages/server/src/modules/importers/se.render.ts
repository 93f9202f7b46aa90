import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderMarkdownMany } from '../content/content.markdown.ts';
import { checkFile } from './se.check.ts';
import { htmlToMarkdown } from './se.convert.ts';
import { decodeValue, ImportFileError } from './se.xml.ts';

/** One post or comment to convert: an SE HTML body (posts) or comment text (comments). */
export interface ToConvert {
  /** As in the file (XML-escaped; decodeValue). */
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
  const bodies = items.map((it) => {
    const text = decodeValue(it.source);
    return it.html ? htmlToMarkdown(text) : text.trim() || '(empty comment)';
  });
  const rendered = renderMarkdownMany(
    bodies,
    items.map((it) => it.excerpt),
  );
  return bodies.map((body, i) => ({ body, html: rendered[i]!.html, excerpt: rendered[i]!.excerpt }));
}

type Task = { type: 'convert'; items: ToConvert[] } | { type: 'check'; file: string; root: string };

/** What a worker answers: a result, a failure (a dump error keeps its file and line), or progress. */
export type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { message: string; file?: string; line?: number; reason?: string } }
  | { id: number; progress: [bytes: number, rows: number] };

/** Runs a task where the worker does (its answer, or the error to send back). */
export async function runTask(
  task: Task,
  onProgress: (bytes: number, rows: number) => void,
): Promise<unknown> {
  return task.type === 'convert' ? convert(task.items) : checkFile(task.file, task.root, onProgress);
}

export function errorReply(id: number, err: unknown): Reply {
  if (err instanceof ImportFileError)
    return { id, error: { message: err.message, file: err.file, line: err.line, reason: err.reason } };
  return { id, error: { message: err instanceof Error ? err.message : String(err) } };
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (bytes: number, rows: number) => void;
}

/**
 * Runs the import's CPU-bound work on worker threads (`size` of them; 0 runs it on the calling
 * thread): the check pass, several files at once, and the conversion of bodies while the main
 * thread writes. Results come back in the order asked for; a worker that fails rejects what it
 * holds (the import stops, and what is committed stays: a re-run resumes).
 */
export class ConvertPool {
  private workers: { worker: Worker; busy: number }[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = spawnWorker();
      const slot = { worker, busy: 0 };
      worker.on('message', (m: Reply) => {
        const p = this.pending.get(m.id);
        if ('progress' in m) return p?.onProgress?.(...m.progress);
        slot.busy--;
        this.pending.delete(m.id);
        if ('result' in m) return p?.resolve(m.result);
        const e = m.error;
        p?.reject(
          e.file !== undefined
            ? new ImportFileError(e.file, e.line ?? 0, e.reason ?? e.message)
            : new Error(e.message),
        );
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an import worker exited with code ${code}`));
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

  private run(task: Task, onProgress?: (bytes: number, rows: number) => void): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.workers.length) return runTask(task, onProgress ?? (() => {}));
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      slot.worker.postMessage({ id, task });
    });
  }

  convert(items: ToConvert[]): Promise<Converted[]> {
    if (!items.length) return Promise.resolve([]);
    return this.run({ type: 'convert', items }) as Promise<Converted[]>;
  }

  /** checkFile on a worker: the number of rows, or the file's ImportFileError. */
  check(file: string, root: string, onProgress?: (bytes: number, rows: number) => void): Promise<number> {
    return this.run({ type: 'check', file, root }, onProgress) as Promise<number>;
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.failure ??= new Error('the import workers are closed');
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
