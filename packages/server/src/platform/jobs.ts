import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './events.ts';

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Periodic jobs. With several server processes, a lease row in job_leases makes
 * sure one process runs a given job per period; the others skip it.
 */
export class Jobs {
  private jobs: Job[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly holder = randomUUID();
  private ranListeners: ((name: string) => void)[] = [];

  constructor(
    private db: Db,
    private clock: Clock,
    private log: Logger,
  ) {}

  every(name: string, everyMs: number, run: () => Promise<unknown>): void {
    this.jobs.push({ name, everyMs, run });
  }

  /** Called after every job run (jobs rewrite ranks and scores in bulk: caches start over). */
  onRan(fn: (name: string) => void): void {
    this.ranListeners.push(fn);
  }

  /** Runs one job now, without a lease (CLI and tests). */
  async runNow(name: string): Promise<unknown> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`No job named ${name}`);
    try {
      return await job.run();
    } finally {
      this.ran(job.name);
    }
  }

  private ran(name: string) {
    for (const fn of this.ranListeners) fn(name);
  }

  start(): void {
    for (const job of this.jobs) {
      const t = setInterval(() => void this.tick(job), job.everyMs);
      t.unref();
      this.timers.push(t);
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private async tick(job: Job): Promise<void> {
    try {
      if (!(await this.acquire(job))) return;
      try {
        await job.run();
      } finally {
        this.ran(job.name);
      }
    } catch (err) {
      this.log.error({ err, job: job.name }, 'job failed');
    }
  }

  /** Takes the job's lease if it is free or expired; true when this process holds it. */
  private async acquire(job: Job): Promise<boolean> {
    const now = this.clock.now();
    const until = now + job.everyMs - 100;
    const updated = await this.db
      .updateTable('job_leases')
      .set({ holder: this.holder, locked_until: until })
      .where('name', '=', job.name)
      .where('locked_until', '<=', now)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return true;
    const inserted = await this.db
      .insertInto('job_leases')
      .values({ name: job.name, holder: this.holder, locked_until: until })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
}
