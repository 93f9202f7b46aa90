import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { IdParams } from '../../platform/schema.ts';
import { CreatePollBody, PollResult, VoteBody } from './polls.schema.ts';
import * as polls from './polls.service.ts';
import './polls.rights.ts';

/** Polls in threads (content module, registered on its own line in app.ts). */
export const pollsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['content'];

  app.get(
    '/threads/:id/poll',
    {
      schema: {
        tags,
        summary:
          "A thread's poll ({ poll: null } when it has none); counts hidden until you voted or it closed",
        params: IdParams,
        response: { 200: PollResult },
      },
    },
    async (req) => polls.getPoll(deps, req.params.id, req.viewer),
  );

  app.post(
    '/threads/:id/poll',
    {
      schema: {
        tags,
        summary: 'Attach a poll to your thread, or replace it before the first vote (thread author)',
        params: IdParams,
        body: CreatePollBody,
        response: { 200: PollResult },
      },
    },
    async (req) => polls.createPoll(deps, req.params.id, requireViewer(req), req.body),
  );

  app.post(
    '/threads/:id/poll/votes',
    {
      schema: {
        tags,
        summary: 'Vote, once and for good (members)',
        params: IdParams,
        body: VoteBody,
        response: { 200: PollResult },
      },
    },
    async (req) => polls.vote(deps, req.params.id, requireViewer(req), req.body.optionIds),
  );
};
