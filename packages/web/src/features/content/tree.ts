import type { Comment } from '../../lib/api.ts';

export interface CommentNode {
  comment: Comment;
  children: CommentNode[];
}

/**
 * Nests the API's flat tree-ordered list by parentId. Order among siblings is kept as
 * given (oldest first; a comment just posted comes last). A reply whose parent is not
 * loaded (another page) is shown at the top level rather than dropped.
 */
export function buildCommentTree(comments: Comment[]): CommentNode[] {
  const nodes = new Map<number, CommentNode>();
  for (const c of comments) nodes.set(c.id, { comment: c, children: [] });
  const roots: CommentNode[] = [];
  for (const c of comments) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId !== null ? nodes.get(c.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
