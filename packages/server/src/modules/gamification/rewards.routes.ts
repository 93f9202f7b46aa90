import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import type { GamificationDeps } from './context.ts';
import { CreateRewardBody, Slug, SlugId, UpdateRewardBody } from './gamification.schema.ts';
import * as rewards from './rewards.service.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Rewards: list (readers), offer and edit (moderators), redeem (members), your redemptions. */
export function registerRewardRoutes(app: App, deps: GamificationDeps): void {
  const tags = ['gamification'];

  app.get(
    '/communities/:slug/rewards',
    {
      schema: {
        tags,
        summary: 'Rewards on offer, with whether you can redeem each (members) and your balance',
        params: Slug,
      },
    },
    async (req) => rewards.listRewards(deps, req.params.slug, req.viewer),
  );
  app.post(
    '/communities/:slug/rewards',
    {
      schema: {
        tags,
        summary: 'Offer a reward: exclusive content, event seats, partner promo codes (moderators)',
        params: Slug,
        body: CreateRewardBody,
      },
    },
    async (req, reply) => {
      const created = await rewards.createReward(deps, req.params.slug, requireViewer(req), req.body);
      reply.code(201);
      return created;
    },
  );
  app.patch(
    '/communities/:slug/rewards/:id',
    {
      schema: {
        tags,
        summary: 'Edit a reward, add promo codes, withdraw it (moderators)',
        params: SlugId,
        body: UpdateRewardBody,
      },
    },
    async (req) => rewards.updateReward(deps, req.params.slug, requireViewer(req), req.params.id, req.body),
  );
  app.post(
    '/communities/:slug/rewards/:id/redeem',
    {
      schema: {
        tags,
        summary: 'Redeem a reward for points (members); reveals its code or content to you only',
        params: SlugId,
      },
    },
    async (req) => rewards.redeem(deps, req.params.slug, requireViewer(req), req.params.id),
  );
  app.get(
    '/communities/:slug/rewards/:id/redemptions',
    {
      schema: { tags, summary: 'Who redeemed a reward (moderators; never the codes)', params: SlugId },
    },
    async (req) => rewards.listRedemptions(deps, req.params.slug, requireViewer(req), req.params.id),
  );
  app.get(
    '/communities/:slug/me/redemptions',
    {
      schema: { tags, summary: 'Your redemptions here, with their codes and content', params: Slug },
    },
    async (req) => rewards.listMine(deps, req.params.slug, requireViewer(req)),
  );
}
