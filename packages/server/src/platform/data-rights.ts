import type { Transaction } from 'kysely';
import type { Db } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import type { Events } from './events.ts';

/**
 * Data rights registries (issue 8): what each module holds about a member, so the privacy
 * module can export it all and erase it all without knowing every module's internals.
 *
 * - `declareUserColumns`: every column that holds a user id, with what erasure does to it.
 *   `test/erasure.test.ts` introspects the migrated schema and fails when a column that refers
 *   to users is not declared, so a table added later cannot be forgotten.
 * - `registerErasureStep`: work that a plain delete/null cannot do (recounting, rewriting
 *   text), run first, in the erasure's transaction.
 * - `registerExportSection`: a named part of the member's JSON archive.
 *
 * Modules register from their own folder at import time (see privacy/privacy.plan.ts for the
 * modules that existed when privacy landed, analytics/analytics.rights.ts for a module's own).
 */
export type ErasureAction =
  /** Delete the rows. */
  | 'delete'
  /** Set the column to null (the row is about something else, e.g. who resolved a report). */
  | 'null'
  /** Point the column at the erased-members tombstone account (kept content, attribution). */
  | 'tombstone'
  /** An erasure step handles it (declared so the coverage test knows it is handled). */
  | 'step'
  /** Not a Hearth user id despite its name (say why in `note`). */
  | 'not_a_user';

export interface UserColumn {
  table: string;
  column: string;
  action: ErasureAction;
  /** For polymorphic columns (target_id of a follow): only rows where `column = value`. */
  when?: { column: string; equals: string };
  /** Why, for the README and reviewers. */
  note?: string;
}

export interface ErasureContext {
  userId: number;
  username: string;
  email: string;
  displayName: string;
  tombstoneId: number;
  /** What the member chose for their content. */
  content: 'anonymise' | 'delete';
  now: number;
  /** Emits into the erasure's transaction (a waitlisted member promoted to the freed seat is told). */
  events: Pick<Events, 'emit'>;
}

/** The strings that name the member in free text (event payloads, logs); too short ones would match anything. */
export const namesOf = (ctx: ErasureContext): string[] =>
  [ctx.username, ctx.email, ctx.displayName].filter((n) => n && n.length >= 3);

export interface ErasureStep {
  name: string;
  /** Lower runs first; generic column actions run after every step. */
  order: number;
  run(trx: Transaction<DB>, ctx: ErasureContext): Promise<void>;
}

export type ExportSection = (db: Db, userId: number) => Promise<unknown>;

const columns: UserColumn[] = [];
const steps: ErasureStep[] = [];
const sections = new Map<string, ExportSection>();

export function declareUserColumns(list: UserColumn[]): void {
  for (const c of list) {
    const dup = columns.find(
      (x) => x.table === c.table && x.column === c.column && x.when?.equals === c.when?.equals,
    );
    if (!dup) columns.push(c);
  }
}

export function registerErasureStep(step: ErasureStep): void {
  if (!steps.some((s) => s.name === step.name)) steps.push(step);
}

export function registerExportSection(name: string, fn: ExportSection): void {
  sections.set(name, fn);
}

export const userColumns = (): readonly UserColumn[] => columns;
export const erasureSteps = (): readonly ErasureStep[] => [...steps].sort((a, b) => a.order - b.order);
export const exportSections = (): ReadonlyMap<string, ExportSection> => sections;
