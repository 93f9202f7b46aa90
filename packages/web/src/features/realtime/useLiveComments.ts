import type { Comment, Page } from '../../lib/api.ts';
import { useLive } from './useLive.ts';

type SetPage = (update: (prev: Page<Comment> | undefined) => Page<Comment>) => void;

/**
 * Keeps a thread's loaded comments current: new ones appear (once, even if this tab posted
 * them), edits, deletions and reaction counts update in place, keeping the viewer's own
 * reaction (live events carry none). `onNew` runs for each comment that was not there yet.
 */
export function useLiveComments(
  threadId: number,
  page: { data: Page<Comment> | undefined; setData: SetPage; reload: () => void },
  onNew: () => void,
): void {
  const setPage = page.setData;
  useLive(
    { topic: 'thread', id: threadId },
    (e) => {
      const map = (fn: (c: Comment) => Comment) =>
        setPage((p) => ({ items: (p?.items ?? []).map(fn), nextCursor: p?.nextCursor ?? null }));
      switch (e.kind) {
        case 'comment.created': {
          const c = e.data.comment as Comment;
          // This tab's own comment is already there (added from the POST answer).
          if (page.data?.items.some((x) => x.id === c.id)) return;
          setPage((p) => {
            const items = p?.items ?? [];
            if (items.some((x) => x.id === c.id)) return p ?? { items, nextCursor: null };
            return { items: [...items, c], nextCursor: p?.nextCursor ?? null };
          });
          onNew();
          return;
        }
        case 'comment.edited': {
          const c = e.data.comment as Comment;
          return map((x) => (x.id === c.id ? { ...c, myReaction: x.myReaction } : x));
        }
        case 'comment.deleted':
          return map((x) =>
            x.id === e.data.commentId ? { ...x, deleted: true, body: null, bodyHtml: null } : x,
          );
        case 'reaction.changed':
          if (e.data.targetType !== 'comment') return;
          return map((x) =>
            x.id === e.data.targetId
              ? { ...x, score: e.data.score, reactionCounts: e.data.reactionCounts }
              : x,
          );
        default:
      }
    },
    page.reload,
  );
}
