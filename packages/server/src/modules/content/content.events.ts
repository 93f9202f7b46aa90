/** Events the content module emits. Payloads carry ids only; consumers load what they need. */
declare module '../../platform/events.ts' {
  interface EventMap {
    'content.thread_created': {
      threadId: number;
      communityId: number;
      authorId: number;
      tags: string[];
      mentionedUserIds: number[];
    };
    'content.thread_edited': {
      threadId: number;
      communityId: number;
      editorId: number;
      newMentionedUserIds: number[];
    };
    'content.thread_moderated': {
      threadId: number;
      communityId: number;
      by: number;
      pinned: boolean;
      locked: boolean;
    };
    'content.thread_deleted': { threadId: number; communityId: number; authorId: number; deletedBy: number };
    'content.comment_created': {
      commentId: number;
      threadId: number;
      communityId: number;
      authorId: number;
      parentId: number | null;
      parentAuthorId: number | null;
      threadAuthorId: number;
      depth: number;
      mentionedUserIds: number[];
    };
    'content.comment_edited': {
      commentId: number;
      threadId: number;
      communityId: number;
      editorId: number;
      newMentionedUserIds: number[];
    };
    'content.comment_deleted': {
      commentId: number;
      threadId: number;
      communityId: number;
      authorId: number;
      deletedBy: number;
    };
    'content.reaction_added': {
      targetType: 'thread' | 'comment';
      targetId: number;
      communityId: number;
      userId: number;
      authorId: number;
      kind: string;
      previousKind: string | null;
    };
    'content.reaction_removed': {
      targetType: 'thread' | 'comment';
      targetId: number;
      communityId: number;
      userId: number;
      authorId: number;
      kind: string;
    };
    /** Issue 7: the thread's author or a moderator marked a comment as the accepted answer. */
    'content.answer_accepted': {
      threadId: number;
      communityId: number;
      threadAuthorId: number;
      commentId: number;
      commentAuthorId: number;
      acceptedBy: number;
      /** The answer it replaced, if any (un-accepted by this change). */
      previousCommentId: number | null;
    };
    'content.answer_unaccepted': {
      threadId: number;
      communityId: number;
      commentId: number;
      commentAuthorId: number;
      by: number;
    };
  }
}
export {};
