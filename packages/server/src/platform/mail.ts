import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { dialectOf, skipLocked } from '../db/dialect.ts';
import type { Db } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './events.ts';

/**
 * Mail (DESIGN: "mail: logged / local file sink | SMTP via nodemailer").
 *
 * Messages are queued in `mail_outbox` inside the transaction that decides to send them (so a
 * rolled-back change sends nothing) and delivered afterwards by `flush()`, never while a
 * database transaction is open: on SQLite a transaction holds the only connection, and an SMTP
 * round trip must not stall every request. Delivery is at-least-once: a process that dies
 * between the SMTP "250 OK" and marking the row sent sends that message again on retry.
 *
 * With SMTP_URL (smtp:// or smtps://, credentials in the URL) messages go to that server;
 * otherwise each is written as an .eml file under `<HEARTH_DATA_DIR>/mail/`.
 */
export interface MailMessage {
  to: string;
  /** The recipient account, if any (its mail is removed with it). */
  userId?: number | null;
  /** What it is (password_reset, mention, digest...), for logs and tests. */
  kind: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

export interface MailOptions {
  smtpUrl: string | null;
  /** Folder for the file sink when there is no SMTP_URL. */
  dir: string;
  from: string;
}

const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

export class Mailer {
  private transport: Transporter;
  private scheduled = false;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private db: Db,
    private clock: Clock,
    private log: Logger,
    readonly options: MailOptions,
  ) {
    this.transport = options.smtpUrl
      ? nodemailer.createTransport(options.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** Where mail goes, for logs: "smtp://host:port" (no credentials) or the folder. */
  get destination(): string {
    if (!this.options.smtpUrl) return this.options.dir;
    const u = new URL(this.options.smtpUrl);
    return `${u.protocol}//${u.host}`;
  }

  /** Queues a message in the caller's transaction; call `kick()` once it committed. */
  async enqueue(trx: Transaction<DB> | Db, m: MailMessage): Promise<void> {
    const now = this.clock.now();
    await trx
      .insertInto('mail_outbox')
      .values({
        user_id: m.userId ?? null,
        kind: m.kind,
        to_address: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: JSON.stringify(m.headers ?? {}),
        created_at: now,
        available_at: now,
        sent_at: null,
        dead_at: null,
        last_error: null,
      })
      .execute();
  }

  /** Delivers soon, outside the caller's transaction. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush().catch((err) => this.log.error({ err }, 'mail delivery failed'));
    });
  }

  stop(): void {
    this.stopped = true;
  }

  /** Sends every due message; returns how many were sent. Tests await it. */
  async flush(): Promise<number> {
    while (this.running) await this.running.catch(() => 0);
    this.running = this.deliverDue();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async deliverDue(): Promise<number> {
    let sent = 0;
    for (let round = 0; round < 100; round++) {
      const rows = await this.claim(20);
      if (rows.length === 0) break;
      for (const row of rows) if (await this.deliver(row)) sent++;
    }
    return sent;
  }

  private async claim(batch: number) {
    const now = this.clock.now();
    const result = await sql<DB['mail_outbox'] & { id: number; attempts: number; headers: string }>`
      update mail_outbox set available_at = ${now + LEASE_MS}, attempts = attempts + 1
      where id in (
        select id from mail_outbox
        where sent_at is null and dead_at is null and available_at <= ${now}
        order by id limit ${batch}${skipLocked(dialectOf(this.db))}
      )
      returning *`.execute(this.db);
    return result.rows.sort((a, b) => a.id - b.id);
  }

  private async deliver(row: {
    id: number;
    to_address: string;
    subject: string;
    text: string;
    html: string;
    headers: string;
    attempts: number;
    kind: string;
  }): Promise<boolean> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: row.to_address,
        subject: row.subject,
        text: row.text,
        html: row.html,
        headers: JSON.parse(row.headers),
      });
      if (!this.options.smtpUrl) await this.writeFile(row.id, row.kind, info.message as Buffer);
      await this.db
        .updateTable('mail_outbox')
        .set({ sent_at: this.clock.now() })
        .where('id', '=', row.id)
        .execute();
      return true;
    } catch (err) {
      const now = this.clock.now();
      const dead = row.attempts >= MAX_ATTEMPTS;
      this.log.warn({ err, mailId: row.id, dead }, 'mail not delivered');
      await this.db
        .updateTable('mail_outbox')
        .set({
          // Backoff: 30 s, 1 min, 2 min ... capped at an hour.
          available_at: now + Math.min(3_600_000, 15_000 * 2 ** row.attempts),
          last_error: String(err).slice(0, 1000),
          dead_at: dead ? now : null,
        })
        .where('id', '=', row.id)
        .execute();
      return false;
    }
  }

  private async writeFile(id: number, kind: string, raw: Buffer): Promise<void> {
    await fs.mkdir(this.options.dir, { recursive: true });
    const name = `${String(this.clock.now())}-${String(id).padStart(8, '0')}-${kind}.eml`;
    await fs.writeFile(path.join(this.options.dir, name), raw);
  }

  async close(): Promise<void> {
    this.stop();
    await this.running?.catch(() => 0);
    this.transport.close();
  }
}

/** A plain-text body as minimal, escaped HTML (paragraphs and links), for the HTML part. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
