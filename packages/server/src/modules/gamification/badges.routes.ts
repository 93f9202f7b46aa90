import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { toRule } from './badges.rules.ts';
import * as badges from './badges.service.ts';
import type { GamificationDeps } from './context.ts';
import {
  CreateBadgeBody,
  GrantBody,
  MemberBadgeParams,
  MemberParams,
  RevokeQuery,
  SeenBody,
  Slug,
  SlugId,
  UpdateBadgeBody,
} from './gamification.schema.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Badges: the community's list, custom badges and manual grants (moderators), the unseen-badge toast. */
export function registerBadgeRoutes(app: App, deps: GamificationDeps): void {
  const tags = ['gamification'];

  app.get(
    '/communities/:slug/badges',
    { schema: { tags, summary: "The community's badges, with how many hold each", params: Slug } },
    async (req) => badges.listCommunityBadges(deps, req.params.slug, req.viewer),
  );
  app.post(
    '/communities/:slug/badges',
    {
      schema: {
        tags,
        summary: 'Add a badge: a rule (kind, threshold) or manual (moderators)',
        params: Slug,
        body: CreateBadgeBody,
      },
    },
    async (req, reply) => {
      const created = await badges.createBadge(deps, req.params.slug, requireViewer(req), {
        ...req.body,
        rule: toRule(req.body.rule),
      });
      reply.code(201);
      return created;
    },
  );
  app.patch(
    '/communities/:slug/badges/:id',
    {
      schema: {
        tags,
        summary: "Rename, re-tier, disable a badge, or change a custom badge's rule (moderators)",
        params: SlugId,
        body: UpdateBadgeBody,
      },
    },
    async (req) =>
      badges.editBadge(deps, req.params.slug, requireViewer(req), req.params.id, {
        ...req.body,
        rule: req.body.rule && toRule(req.body.rule),
      }),
  );
  app.post(
    '/communities/:slug/members/:username/badges',
    {
      schema: {
        tags,
        summary: 'Grant a badge by hand (moderators; logged)',
        params: MemberParams,
        body: GrantBody,
      },
    },
    async (req) =>
      badges.grantManually(deps, req.params.slug, requireViewer(req), req.params.username, req.body),
  );
  app.delete(
    '/communities/:slug/members/:username/badges/:badgeId',
    {
      schema: {
        tags,
        summary: 'Revoke a badge (moderators; logged; rules will not grant it again)',
        params: MemberBadgeParams,
        querystring: RevokeQuery,
      },
    },
    async (req) =>
      badges.revokeManually(
        deps,
        req.params.slug,
        requireViewer(req),
        req.params.username,
        req.params.badgeId,
        req.query.reason ?? '',
      ),
  );

  app.get(
    '/me/badges/unseen',
    { schema: { tags, summary: 'Badges you earned and have not acknowledged (toasts)' } },
    async (req) => badges.listUnseen(deps, requireViewer(req)),
  );
  app.post(
    '/me/badges/seen',
    {
      schema: {
        tags,
        summary: 'Acknowledge earned badges (by the ids of /me/badges/unseen)',
        body: SeenBody,
      },
    },
    async (req) => badges.acknowledge(deps, requireViewer(req), req.body.ids),
  );
}
