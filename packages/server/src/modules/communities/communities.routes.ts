import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import { registerCommunityHandlers } from './communities.events.ts';
import {
  Community,
  CommunityList,
  CreateCommunityBody,
  InviteBody,
  JoinBody,
  JoinResponse,
  ListCommunitiesQuery,
  ListMembersQuery,
  MemberList,
  MemberParams,
  RoleBody,
  SlugParams,
  UpdateCommunityBody,
} from './communities.schema.ts';
import * as svc from './communities.service.ts';

/** Communities: create, discover, join/leave/request/invite/approve, roles, member list. */
export const communitiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['communities'];
  registerCommunityHandlers(app.events);

  app.get(
    '/communities',
    {
      schema: {
        tags,
        summary: 'Communities you can see',
        querystring: ListCommunitiesQuery,
        response: { 200: CommunityList },
      },
    },
    async (req) => svc.listCommunities(deps, req.viewer, req.query),
  );

  app.post(
    '/communities',
    {
      schema: {
        tags,
        summary: 'Create a community (you become its owner)',
        body: CreateCommunityBody,
        response: { 201: Community },
      },
    },
    async (req, reply) => {
      const c = await svc.createCommunity(deps, requireViewer(req), req.body);
      reply.code(201);
      return c;
    },
  );

  app.get(
    '/communities/:slug',
    { schema: { tags, summary: 'A community', params: SlugParams, response: { 200: Community } } },
    async (req) => svc.getCommunity(deps, req.params.slug, req.viewer),
  );

  app.patch(
    '/communities/:slug',
    {
      schema: {
        tags,
        summary: 'Edit a community (moderators; visibility and join policy: owners)',
        params: SlugParams,
        body: UpdateCommunityBody,
        response: { 200: Community },
      },
    },
    async (req) => svc.updateCommunity(deps, req.params.slug, requireViewer(req), req.body),
  );

  app.post(
    '/communities/:slug/join',
    {
      schema: {
        tags,
        summary: 'Join, ask to join, or accept an invitation',
        params: SlugParams,
        body: JoinBody,
        response: { 200: JoinResponse },
      },
    },
    async (req) => svc.join(deps, req.params.slug, requireViewer(req), req.body?.acceptGuidelines === true),
  );

  app.post(
    '/communities/:slug/leave',
    { schema: { tags, summary: 'Leave (or withdraw a request)', params: SlugParams, response: { 200: Ok } } },
    async (req) => {
      await svc.leave(deps, req.params.slug, requireViewer(req));
      return { ok: true };
    },
  );

  app.get(
    '/communities/:slug/members',
    {
      schema: {
        tags,
        summary: 'Members (pending requests and invitations: moderators only)',
        params: SlugParams,
        querystring: ListMembersQuery,
        response: { 200: MemberList },
      },
    },
    async (req) => svc.listMembers(deps, req.params.slug, req.viewer, req.query),
  );

  app.post(
    '/communities/:slug/invites',
    {
      schema: {
        tags,
        summary: 'Invite a member (moderators)',
        params: SlugParams,
        body: InviteBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.invite(deps, req.params.slug, requireViewer(req), req.body.username);
      return { ok: true };
    },
  );

  app.post(
    '/communities/:slug/members/:username/approve',
    {
      schema: {
        tags,
        summary: 'Approve a request to join (moderators)',
        params: MemberParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.approve(deps, req.params.slug, requireViewer(req), req.params.username);
      return { ok: true };
    },
  );

  app.patch(
    '/communities/:slug/members/:username',
    {
      schema: {
        tags,
        summary: 'Change a member’s role (owners)',
        params: MemberParams,
        body: RoleBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.setRole(deps, req.params.slug, requireViewer(req), req.params.username, req.body.role);
      return { ok: true };
    },
  );

  app.delete(
    '/communities/:slug/members/:username',
    {
      schema: {
        tags,
        summary: 'Remove a member, reject a request or cancel an invitation (moderators)',
        params: MemberParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.removeMember(deps, req.params.slug, requireViewer(req), req.params.username);
      return { ok: true };
    },
  );
};
