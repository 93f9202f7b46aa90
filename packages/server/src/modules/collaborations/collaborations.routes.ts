import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import {
  CohostList,
  Collaboration,
  CollaborationList,
  CrosspostList,
  IdParams,
  IdSlugParams,
  ProposeBody,
  ShareBody,
  SlugParams,
} from './collaborations.schema.ts';
import * as collaborations from './collaborations.service.ts';
import * as shares from './crossposts.service.ts';
import './collaborations.rights.ts';

/** Collaborations between communities, cross-posted threads, co-hosted events. */
export const collaborationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['collaborations'];

  app.get(
    '/communities/:slug/collaborations',
    {
      schema: {
        tags,
        summary: "A community's collaborations and proposals (moderators)",
        params: SlugParams,
        response: { 200: CollaborationList },
      },
    },
    async (req) => collaborations.listCollaborations(deps, req.params.slug, requireViewer(req)),
  );

  app.post(
    '/communities/:slug/collaborations',
    {
      schema: {
        tags,
        summary: 'Propose a collaboration to another community (owner)',
        params: SlugParams,
        body: ProposeBody,
        response: { 201: Collaboration },
      },
    },
    async (req, reply) => {
      const p = await collaborations.propose(deps, req.params.slug, requireViewer(req), req.body.partner);
      reply.code(201);
      return p;
    },
  );

  app.post(
    '/collaborations/:id/accept',
    {
      schema: {
        tags,
        summary: "Accept a proposal (the invited community's owner)",
        params: IdParams,
        response: { 200: Collaboration },
      },
    },
    async (req) => collaborations.accept(deps, req.params.id, requireViewer(req)),
  );

  app.post(
    '/collaborations/:id/end',
    {
      schema: {
        tags,
        summary: 'End a collaboration, or decline / withdraw a proposal (an owner of either)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await collaborations.end(deps, req.params.id, requireViewer(req));
      return { ok: true };
    },
  );

  app.get(
    '/threads/:id/crossposts',
    {
      schema: {
        tags,
        summary: 'Partner communities a thread is cross-posted to',
        params: IdParams,
        response: { 200: CrosspostList },
      },
    },
    async (req) => shares.listCrossposts(deps, req.params.id, req.viewer),
  );

  app.post(
    '/threads/:id/crossposts',
    {
      schema: {
        tags,
        summary: 'Cross-post a thread to a partner community (moderators of its community)',
        params: IdParams,
        body: ShareBody,
        response: { 200: CrosspostList },
      },
    },
    async (req) => shares.crosspost(deps, req.params.id, requireViewer(req), req.body),
  );

  app.delete(
    '/threads/:id/crossposts/:slug',
    {
      schema: {
        tags,
        summary: 'Remove a cross-post (moderators of either community)',
        params: IdSlugParams,
        response: { 200: CrosspostList },
      },
    },
    async (req) => shares.removeCrosspost(deps, req.params.id, requireViewer(req), req.params.slug),
  );

  app.post(
    '/events/:id/cohosts',
    {
      schema: {
        tags,
        summary: 'Co-host an event with a partner community (moderators of the host)',
        params: IdParams,
        body: ShareBody,
        response: { 200: CohostList },
      },
    },
    async (req) => shares.cohost(deps, req.params.id, requireViewer(req), req.body),
  );

  app.delete(
    '/events/:id/cohosts/:slug',
    {
      schema: {
        tags,
        summary: 'Remove a co-host (moderators of either community)',
        params: IdSlugParams,
        response: { 200: CohostList },
      },
    },
    async (req) => shares.removeCohost(deps, req.params.id, requireViewer(req), req.params.slug),
  );
};
