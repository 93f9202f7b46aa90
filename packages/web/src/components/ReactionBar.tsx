import {
  api,
  REACTION_KINDS,
  type ReactionCounts,
  type ReactionKind,
  type ReactionResult,
} from '../lib/api.ts';
import { useAction } from '../lib/useAction.ts';
import { ErrorMessage } from './ErrorMessage.tsx';

export const REACTIONS: Record<ReactionKind, { emoji: string; label: string }> = {
  like: { emoji: '👍', label: 'Like' },
  love: { emoji: '❤️', label: 'Love' },
  insightful: { emoji: '💡', label: 'Insightful' },
  funny: { emoji: '😄', label: 'Funny' },
  celebrate: { emoji: '🎉', label: 'Celebrate' },
  downvote: { emoji: '👎', label: 'Downvote' },
};

/**
 * One reaction per member per post: pressing a kind sets it, pressing your current kind
 * removes it. Members only; others see the counts.
 */
export function ReactionBar({
  target,
  id,
  score,
  counts,
  mine,
  canReact,
  onChange,
}: {
  target: 'threads' | 'comments';
  id: number;
  score: number;
  counts: ReactionCounts;
  mine: string | null;
  canReact: boolean;
  onChange: (r: ReactionResult) => void;
}) {
  const { run, pending, error } = useAction(async (kind: ReactionKind) => {
    const r = kind === mine ? await api.unreact(target, id) : await api.react(target, id, kind);
    onChange(r);
  });
  return (
    <div className="reactions">
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons */}
      <div className="reaction-buttons" role="group" aria-label="Reactions">
        <span className="score" title="Score: positive reactions minus downvotes">
          <span className="visually-hidden">Score </span>
          {score}
        </span>
        {REACTION_KINDS.map((kind) => {
          const n = counts[kind] ?? 0;
          const { emoji, label } = REACTIONS[kind];
          if (!canReact && n === 0) return null;
          return (
            <button
              key={kind}
              type="button"
              className="reaction"
              aria-pressed={mine === kind}
              aria-label={`${label} (${n})`}
              title={canReact ? (mine === kind ? `Remove your ${label.toLowerCase()}` : label) : label}
              disabled={!canReact || pending}
              onClick={() => run(kind)}
            >
              <span aria-hidden="true">{emoji}</span>
              <span aria-hidden="true" className="count">
                {n}
              </span>
            </button>
          );
        })}
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
