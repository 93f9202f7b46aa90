import type { ActionKind } from './api.ts';

/**
 * Keyboard shortcuts of the review queue (as in Discourse's and Reddit's mod queues): j / k
 * move between items, one letter acts on the focused item. Keys typed into a field, or with
 * Ctrl, ⌘ or Alt held, are never shortcuts.
 */
export type QueueKey = ActionKind | 'next' | 'prev';
export const SHORTCUTS: Record<string, QueueKey> = {
  j: 'next',
  k: 'prev',
  a: 'approve',
  r: 'remove',
  l: 'lock',
  w: 'warn',
  m: 'mute',
  b: 'ban',
  e: 'escalate',
};
export const KEY_OF: Partial<Record<QueueKey, string>> = Object.fromEntries(
  Object.entries(SHORTCUTS).map(([k, v]) => [v, k]),
);

/** Actions the member is told about: the API refuses them without a reason. */
export const NEEDS_REASON: ReadonlySet<ActionKind> = new Set(['remove', 'warn', 'mute', 'ban', 'suspend']);

export function shortcutFor(e: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}): QueueKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const t = e.target as HTMLElement | null;
  if (t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable)) return null;
  return SHORTCUTS[e.key] ?? null;
}
