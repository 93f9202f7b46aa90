import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { cacheScope } from '../../platform/response-cache.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import * as answers from './answers.service.ts';
import * as comments from './comments.service.ts';
import { loadReadableThread } from './content.present.ts';
import { registerRankHandlers } from './content.ranking.ts';
import {
  AcceptAnswerBody,
  Comment,
  CommentList,
  CreateCommentBody,
  CreateThreadBody,
  IdParams,
  ListCommentsQuery,
  ListThreadsQuery,
  ReactionBody,
  ReactionResult,
  RevisionList,
  SlugParams,
  Thread,
  ThreadList,
  UpdateCommentBody,
  UpdateThreadBody,
} from './content.schema.ts';
import * as reactions from './reactions.service.ts';
import * as threads from './threads.service.ts';

/** Content: threads, nested comments, reactions, mentions, tags, revisions, ranked lists. */
export const contentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['content'];

  app.jobs.every('content.hot_ranks', 5 * 60_000, () => threads.refreshRanks(deps));
  registerRankHandlers(app.events, app.clock);

  app.get(
    '/communities/:slug/threads',
    {
      schema: {
        tags,
        summary:
          'Threads of a community: sort=hot|new|top|active|scaled|controversial|most_comments, period for top, controversial, most_comments',
        params: SlugParams,
        querystring: ListThreadsQuery,
        response: { 200: ThreadList },
      },
      config: { responseCache: true },
    },
    async (req, reply) =>
      threads.listThreads(deps, req.params.slug, req.viewer, req.query, (id) => cacheScope(reply, id)),
  );

  app.post(
    '/communities/:slug/threads',
    {
      schema: {
        tags,
        summary: 'Start a thread (members)',
        params: SlugParams,
        body: CreateThreadBody,
        response: { 201: Thread },
      },
    },
    async (req, reply) => {
      const t = await threads.createThread(deps, req.params.slug, requireViewer(req), req.body);
      reply.code(201);
      return t;
    },
  );

  app.get(
    '/threads/:id',
    {
      schema: { tags, summary: 'A thread', params: IdParams, response: { 200: Thread } },
      config: { responseCache: true },
    },
    async (req, reply) => {
      const t = await threads.getThread(deps, req.params.id, req.viewer);
      cacheScope(reply, t.community.id);
      return t;
    },
  );

  app.patch(
    '/threads/:id',
    {
      schema: {
        tags,
        summary: 'Edit (author, moderators) or pin/lock (moderators) a thread',
        params: IdParams,
        body: UpdateThreadBody,
        response: { 200: Thread },
      },
    },
    async (req) => threads.updateThread(deps, req.params.id, requireViewer(req), req.body),
  );

  app.delete(
    '/threads/:id',
    {
      schema: {
        tags,
        summary: 'Delete a thread (author, moderators)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await threads.deleteThread(deps, req.params.id, requireViewer(req));
      return { ok: true };
    },
  );

  app.get(
    '/threads/:id/revisions',
    {
      schema: {
        tags,
        summary: 'Edit history of a thread',
        params: IdParams,
        response: { 200: RevisionList },
      },
    },
    async (req) => {
      await loadReadableThread(app.db, req.params.id, req.viewer);
      return { items: await threads.listRevisions(deps, 'thread', req.params.id) };
    },
  );

  app.get(
    '/threads/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comments in tree order (parentId, depth)',
        params: IdParams,
        querystring: ListCommentsQuery,
        response: { 200: CommentList },
      },
      config: { responseCache: true },
    },
    async (req, reply) =>
      comments.listComments(deps, req.params.id, req.viewer, req.query, (id) => cacheScope(reply, id)),
  );

  app.post(
    '/threads/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment or reply (members)',
        params: IdParams,
        body: CreateCommentBody,
        response: { 201: Comment },
      },
    },
    async (req, reply) => {
      const c = await comments.createComment(deps, req.params.id, requireViewer(req), req.body);
      reply.code(201);
      return c;
    },
  );

  app.get(
    '/comments/:id',
    { schema: { tags, summary: 'A comment', params: IdParams, response: { 200: Comment } } },
    async (req) => comments.getComment(deps, req.params.id, req.viewer),
  );

  app.patch(
    '/comments/:id',
    {
      schema: {
        tags,
        summary: 'Edit a comment (author, moderators)',
        params: IdParams,
        body: UpdateCommentBody,
        response: { 200: Comment },
      },
    },
    async (req) => comments.updateComment(deps, req.params.id, requireViewer(req), req.body.body),
  );

  app.delete(
    '/comments/:id',
    {
      schema: {
        tags,
        summary: 'Delete a comment (author, moderators)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await comments.deleteComment(deps, req.params.id, requireViewer(req));
      return { ok: true };
    },
  );

  app.get(
    '/comments/:id/revisions',
    {
      schema: {
        tags,
        summary: 'Edit history of a comment',
        params: IdParams,
        response: { 200: RevisionList },
      },
    },
    async (req) => {
      await comments.commentRevisionsAllowed(deps, req.params.id, req.viewer);
      return { items: await threads.listRevisions(deps, 'comment', req.params.id) };
    },
  );

  // Issue 7: the accepted answer of a thread (its author or a moderator).
  app.put(
    '/threads/:id/accepted-answer',
    {
      schema: {
        tags,
        summary: "Mark a comment as the thread's accepted answer (thread author, moderators)",
        params: IdParams,
        body: AcceptAnswerBody,
        response: { 200: Thread },
      },
    },
    async (req) => answers.acceptAnswer(deps, req.params.id, requireViewer(req), req.body.commentId),
  );
  app.delete(
    '/threads/:id/accepted-answer',
    {
      schema: {
        tags,
        summary: 'Clear the accepted answer (thread author, moderators)',
        params: IdParams,
        response: { 200: Thread },
      },
    },
    async (req) => answers.unacceptAnswer(deps, req.params.id, requireViewer(req)),
  );

  for (const type of ['thread', 'comment'] as const) {
    const path = `/${type}s/:id/reactions`;
    app.post(
      path,
      {
        schema: {
          tags,
          summary: `React to a ${type} (members)`,
          params: IdParams,
          body: ReactionBody,
          response: { 200: ReactionResult },
        },
      },
      async (req) => reactions.react(deps, type, req.params.id, requireViewer(req), req.body.kind),
    );
    app.delete(
      path,
      {
        schema: {
          tags,
          summary: `Remove your reaction to a ${type}`,
          params: IdParams,
          response: { 200: ReactionResult },
        },
      },
      async (req) => reactions.unreact(deps, type, req.params.id, requireViewer(req)),
    );
  }
};
