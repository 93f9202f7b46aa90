import type { Transaction } from 'kysely';
import type { Db } from '../db/index.ts';
import type { DB, TargetType } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import type { Events } from './events.ts';

/**
 * The checks that run before a member's words are stored, shared by every module that
 * stores them (content now, messaging later). The moderation module plugs in sanctions
 * (mute, ban, suspension), guideline re-acceptance and automatic moderation (watched
 * words, new-member limits, flood and duplicate detection, spam score); the writing module
 * only calls `screenWrite` before its insert and `recordWrite` inside its transaction.
 *
 * A gate refuses by throwing an AppError (`fail(...)`); otherwise it may rewrite the text
 * (censoring), hold the content for approval or flag it for review.
 */
export type WriteKind = 'thread' | 'comment' | 'edit_thread' | 'edit_comment' | 'reaction';

export interface WriteAttempt {
  kind: WriteKind;
  communityId: number;
  userId: number;
  /** Moderators, owners and site admins: automatic moderation does not apply to them. */
  isModerator: boolean;
  title?: string;
  body?: string;
  /** For comments, reactions and edits: the thread written in. */
  threadId?: number;
  /** An edit of someone else's wiki thread: moderation checks the `editWikiPosts` trust level. */
  wikiEdit?: boolean;
}

export interface WriteVerdict {
  /** Text to store instead of what was sent (censored), or undefined to keep it. */
  title?: string;
  body?: string;
  /** Store as 'pending': visible to the author and moderators only until approved. */
  hold: boolean;
  /** Why it was held or flagged (machine-readable, e.g. `watched_word`, `spam`). */
  reasons: string[];
  /** Flagged for review while staying visible. */
  flags: string[];
}

export interface WriteGate {
  screen(db: Db, attempt: WriteAttempt, now: number): Promise<Partial<WriteVerdict> | undefined>;
  /** Runs in the writer's transaction once the content has its id. */
  record?(
    trx: Transaction<DB>,
    deps: { events: Events; clock: Clock },
    attempt: WriteAttempt,
    verdict: WriteVerdict,
    target: { type: TargetType; id: number },
  ): Promise<void>;
}

// One set of gates per app, found through the app's event bus (every writer's deps carry it),
// so two apps in one process (tests) never share gates.
const registry = new WeakMap<Events, Map<string, WriteGate>>();
const gatesOf = (events: Events) => registry.get(events)?.values() ?? [];

/** Registers a gate for the app that owns `events`; the same name replaces the previous gate. */
export function registerWriteGate(events: Events, name: string, gate: WriteGate): void {
  const gates = registry.get(events) ?? new Map<string, WriteGate>();
  gates.set(name, gate);
  registry.set(events, gates);
}

/** Runs every gate in turn (each sees the text the previous one produced); throws to refuse. */
export async function screenWrite(
  deps: { db: Db; clock: Clock; events: Events },
  attempt: WriteAttempt,
): Promise<WriteVerdict> {
  const verdict: WriteVerdict = { hold: false, reasons: [], flags: [] };
  const now = deps.clock.now();
  let current = attempt;
  for (const gate of gatesOf(deps.events)) {
    const v = await gate.screen(deps.db, current, now);
    if (!v) continue;
    if (v.title !== undefined) verdict.title = v.title;
    if (v.body !== undefined) verdict.body = v.body;
    verdict.hold ||= v.hold ?? false;
    verdict.reasons.push(...(v.reasons ?? []));
    verdict.flags.push(...(v.flags ?? []));
    current = { ...current, title: verdict.title ?? current.title, body: verdict.body ?? current.body };
  }
  return verdict;
}

/** Lets the gates remember what was written (holds, flags, fingerprints), in the writer's transaction. */
export async function recordWrite(
  trx: Transaction<DB>,
  deps: { events: Events; clock: Clock },
  attempt: WriteAttempt,
  verdict: WriteVerdict,
  target: { type: TargetType; id: number },
): Promise<void> {
  for (const gate of gatesOf(deps.events)) await gate.record?.(trx, deps, attempt, verdict, target);
}
