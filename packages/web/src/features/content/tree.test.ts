import { describe, expect, it } from 'vitest';
import type { Comment } from '../../lib/api.ts';
import { buildCommentTree } from './tree.ts';

const c = (id: number, parentId: number | null): Comment => ({
  id,
  parentId,
  threadId: 1,
  depth: 0,
  author: { id: 1, username: 'a', displayName: 'A', avatarUrl: null },
  body: `c${id}`,
  bodyHtml: `<p>c${id}</p>`,
  mentions: [],
  score: 0,
  reactionCounts: {},
  myReaction: null,
  deleted: false,
  createdAt: '2026-06-01T00:00:00.000Z',
  editedAt: null,
});

describe('comment tree', () => {
  it('nests by parentId in the given order and keeps orphans at the top level', () => {
    const tree = buildCommentTree([c(1, null), c(2, 1), c(4, 2), c(3, null), c(5, 1), c(9, 77)]);
    const shape = (nodes: ReturnType<typeof buildCommentTree>): unknown =>
      nodes.map((n) => [n.comment.id, shape(n.children)]);
    expect(shape(tree)).toEqual([
      [
        1,
        [
          [2, [[4, []]]],
          [5, []],
        ],
      ],
      [3, []],
      [9, []],
    ]);
  });
});
