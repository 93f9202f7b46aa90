import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { plural, timeAgo } from '../../lib/format.ts';
import { type ActionKind, actionLabel, type QueueItem, type Rule, reasonLabel } from './api.ts';
import { BAN_DURATIONS, describeStep, MUTE_DURATIONS } from './durations.ts';
import { KEY_OF } from './shortcuts.ts';

/** What a moderator is writing for one item: the reason the member sees, the rule, durations. */
export interface Draft {
  reason: string;
  rule: number | null;
  muteHours: number | null;
  banHours: number | null;
}
export const EMPTY_DRAFT: Draft = { reason: '', rule: null, muteHours: null, banHours: 168 };

export interface CardState {
  draft: Draft;
  pending: boolean;
  error: unknown;
  /** Set once handled: what was done. */
  resolution: string | null;
  /** The action waiting for a reason (a shortcut pressed with the reason empty). */
  wantsReason: ActionKind | null;
}

const BUTTONS: { action: ActionKind; label: string; danger?: boolean; admin?: boolean }[] = [
  { action: 'approve', label: 'Approve' },
  { action: 'remove', label: 'Remove', danger: true },
  { action: 'lock', label: 'Lock' },
  { action: 'warn', label: 'Warn' },
  { action: 'mute', label: 'Mute' },
  { action: 'ban', label: 'Ban', danger: true },
  { action: 'suspend', label: 'Suspend', danger: true, admin: true },
  { action: 'escalate', label: 'Escalate' },
];

/**
 * One review item: the content, why it was reported (reasons, cited rules, reporters and
 * their weights), the author's record with the ladder's suggested step, and one button per
 * action. Remove, warn, mute, ban and suspend tell the member why: the reason field.
 */
export function QueueCard({
  item,
  rules,
  state,
  isAdmin,
  onDraft,
  onAct,
}: {
  item: QueueItem;
  rules: Rule[];
  state: CardState;
  isAdmin: boolean;
  onDraft: (d: Draft) => void;
  onAct: (action: ActionKind) => void;
}) {
  const { draft } = state;
  const t = item.target;
  const slug = item.community;
  const threadUrl = slug && t.threadId ? `/c/${slug}/t/${t.threadId}` : null;
  const url = t.type === 'comment' && threadUrl ? `${threadUrl}#comment-${t.id}` : threadUrl;
  const record = item.authorRecord;
  const reasonId = `reason-${item.id}`;
  const headingId = `item-${item.id}-h`;
  const onContent = t.type === 'thread' || t.type === 'comment';
  const available = BUTTONS.filter(
    (b) =>
      (!b.admin || isAdmin) &&
      (onContent || (b.action !== 'remove' && b.action !== 'lock')) &&
      (b.action !== 'escalate' || item.queue === 'community') &&
      ((b.action !== 'mute' && b.action !== 'ban') || item.community !== null),
  );
  const set = (patch: Partial<Draft>) => onDraft({ ...draft, ...patch });
  return (
    <article
      className={`queue-item card${state.resolution ? ' resolved' : ''}`}
      aria-labelledby={headingId}
      data-item={item.id}
      tabIndex={-1}
    >
      <header className="queue-item-head">
        <h3 id={headingId}>
          {t.type === 'comment' ? 'Comment in ' : t.type === 'user' ? 'Profile of ' : ''}
          {url ? (
            <a href={url}>{t.title ?? `#${t.id}`}</a>
          ) : (
            <span>{t.title ?? (item.author ? `@${item.author.username}` : `${t.type} ${t.id}`)}</span>
          )}
        </h3>
        <p className="meta">
          {item.held && <span className="badge badge-warn">Held for approval</span>}
          {t.deleted && <span className="badge">Removed</span>}
          {t.locked && <span className="badge">Locked</span>}
          <span className="badge badge-accent" title="Sum of the reports' weights (reporters' trust)">
            Score {item.score}
          </span>
          <span>{plural(item.reportCount, 'report')}</span>
          {Object.entries(item.reasons).map(([r, n]) => (
            <span key={r} className="chip">
              {reasonLabel(r)}
              {n > 1 ? ` ×${n}` : ''}
            </span>
          ))}
          <span>{timeAgo(item.updatedAt)}</span>
          {item.queue === 'site' && item.community && <span>from {item.community}</span>}
        </p>
      </header>

      {t.body !== null && <blockquote className="queue-body">{t.body || <em>(empty)</em>}</blockquote>}

      {item.author && (
        <p className="queue-author small">
          By{' '}
          <a href={slug ? `/c/${slug}/members/${item.author.username}` : `/u/${item.author.username}`}>
            {item.author.displayName} (@{item.author.username})
          </a>
          {record && (
            <>
              {' · '}
              {sanctions(record.counts).length === 0
                ? 'nothing against them this year'
                : sanctions(record.counts)
                    .map(([k, n]) => `${actionLabel(k).toLowerCase()} ${n}×`)
                    .join(', ')}
              {record.activeSanction && (
                <strong>
                  {' · '}now {actionLabel(record.activeSanction.kind).toLowerCase()}
                  {record.activeSanction.expiresAt
                    ? ` until ${dateTime(record.activeSanction.expiresAt)}`
                    : ''}
                </strong>
              )}
              {' · '}
              <span className="suggested">Suggested next step: {describeStep(record.suggested)}</span>
            </>
          )}
        </p>
      )}

      <details className="queue-reports">
        <summary>{item.reports.length === 1 ? 'The report' : `The ${item.reports.length} reports`}</summary>
        <ul className="list">
          {item.reports.map((r) => (
            <li key={r.id} className="list-row wrap small">
              <span className="grow">
                <strong>{reasonLabel(r.reason)}</strong>
                {r.rule && ` · rule ${r.rule.number}${r.rule.text ? `: ${r.rule.text}` : ''}`}
                {r.note && ` · “${r.note}”`}
              </span>
              <span className="muted">
                {r.source === 'automod'
                  ? 'automatic moderation'
                  : r.reporter
                    ? `@${r.reporter.username}`
                    : 'someone'}{' '}
                · weight {r.weight} · {timeAgo(r.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      </details>

      {state.resolution ? (
        <output className="ok-text block">Done: {actionLabel(state.resolution)}.</output>
      ) : (
        <div className="queue-actions">
          <div className="queue-fields">
            <label className="grow">
              <span>
                Reason <span className="muted">(the member sees it)</span>
              </span>
              <input
                id={reasonId}
                value={draft.reason}
                maxLength={2000}
                aria-invalid={state.wantsReason ? true : undefined}
                aria-describedby={state.wantsReason ? `${reasonId}-hint` : undefined}
                onChange={(e) => set({ reason: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && state.wantsReason && draft.reason.trim()) {
                    e.preventDefault();
                    onAct(state.wantsReason);
                  }
                }}
              />
            </label>
            {rules.length > 0 && (
              <label>
                Rule
                <select
                  value={draft.rule ?? ''}
                  onChange={(e) => set({ rule: e.target.value ? Number(e.target.value) : null })}
                >
                  <option value="">None</option>
                  {rules.map((r) => (
                    <option key={r.number} value={r.number}>
                      {r.number}. {r.text.slice(0, 60)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              Mute for
              <select
                value={draft.muteHours ?? ''}
                onChange={(e) => set({ muteHours: e.target.value ? Number(e.target.value) : null })}
              >
                {MUTE_DURATIONS.map(([h, label]) => (
                  <option key={label} value={h ?? ''}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Ban for
              <select
                value={draft.banHours ?? ''}
                onChange={(e) => set({ banHours: e.target.value ? Number(e.target.value) : null })}
              >
                {BAN_DURATIONS.map(([h, label]) => (
                  <option key={label} value={h ?? ''}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {state.wantsReason && (
            <output id={`${reasonId}-hint`} className="hint block">
              Write the reason the member will see, then press Enter to {state.wantsReason}.
            </output>
          )}
          <div className="actions">
            {available.map((b) => (
              <button
                key={b.action}
                type="button"
                className={`button button-small ${b.danger ? 'button-danger' : b.action === 'approve' ? '' : 'button-secondary'}`}
                disabled={state.pending}
                aria-keyshortcuts={KEY_OF[b.action]}
                onClick={() => onAct(b.action)}
              >
                {b.action === 'approve' && !item.held
                  ? 'Approve (keep)'
                  : b.action === 'lock' && t.type === 'comment'
                    ? 'Lock thread'
                    : b.label}
                {KEY_OF[b.action] && (
                  <span className="kbd" aria-hidden="true">
                    {KEY_OF[b.action]}
                  </span>
                )}
              </button>
            ))}
          </div>
          <ErrorMessage error={state.error} />
        </div>
      )}
    </article>
  );
}

/** What counts against an author: removals, locks and sanctions (not approvals or escalations). */
const AGAINST = ['remove', 'lock', 'warn', 'mute', 'ban', 'suspend'];
const sanctions = (counts: Record<string, number>) =>
  Object.entries(counts).filter(([k, n]) => AGAINST.includes(k) && n > 0);

function dateTime(iso: string) {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}
