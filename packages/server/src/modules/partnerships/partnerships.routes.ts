import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { authHook, requireViewer } from '../../platform/auth.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import * as brands from './brands.service.ts';
import { campaignRoutes } from './campaigns.routes.ts';
import * as campaigns from './campaigns.service.ts';
import { recordConversion, SIGNATURE_HEADER } from './conversions.service.ts';
import * as creators from './creators.service.ts';
import { removeLabel } from './deliverables.service.ts';
import { followLink } from './links.service.ts';
import { pruneNonces } from './partnerships.queries.ts';
import {
  AddBrandMemberBody,
  Brand,
  BrandList,
  BrandMembers,
  BrandWithSecret,
  Campaign,
  CommunityCampaigns,
  ConversionBody,
  ConversionResult,
  CreateBrandBody,
  CreatorProfileBody,
  CreatorProfileResult,
  CreatorSearchQuery,
  CreatorSearchResult,
  CreatorWork,
  DecisionBody,
  MyCreatorProfile,
  PartnershipSettings,
  PartnershipSettingsBody,
  RemoveLabelBody,
  SlugIdParams,
  SlugParams,
  SlugUserParams,
  TargetParams,
  UpdateBrandBody,
  UsernameParams,
} from './partnerships.schema.ts';
import './partnerships.rights.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Brand partnerships (issue 9): brands, creators, campaigns, disclosure, attribution, ROI, payouts. See README.md. */
export const partnershipsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock, publicUrl: app.config.publicUrl };
  const tags = ['partnerships'];
  app.jobs.every('partnerships.creator_stats', HOUR, () => creators.refreshAllCreators(deps));
  // Message ids older than a day can go: a replay that old fails the signed timestamp check anyway.
  app.jobs.every('partnerships.prune_nonces', HOUR, () => pruneNonces(app.db, app.clock.now() - DAY));

  // --- brands ---
  app.post(
    '/brands',
    {
      schema: {
        tags,
        summary: 'Create a brand (you become its owner)',
        body: CreateBrandBody,
        response: { 201: BrandWithSecret },
      },
    },
    async (req, reply) => {
      const b = await brands.createBrand(deps, requireViewer(req), req.body);
      reply.code(201);
      return b;
    },
  );
  app.get(
    '/brands',
    { schema: { tags, summary: 'Brands you manage (site admins: all)', response: { 200: BrandList } } },
    async (req) => brands.listBrands(deps, requireViewer(req)),
  );
  app.get(
    '/brands/:slug',
    { schema: { tags, summary: 'A brand’s public page', params: SlugParams, response: { 200: Brand } } },
    async (req) => brands.getBrand(deps, req.params.slug, req.viewer),
  );
  app.patch(
    '/brands/:slug',
    {
      schema: {
        tags,
        summary: 'Edit a brand (its managers)',
        params: SlugParams,
        body: UpdateBrandBody,
        response: { 200: Brand },
      },
    },
    async (req) => brands.updateBrand(deps, req.params.slug, requireViewer(req), req.body),
  );
  app.post(
    '/brands/:slug/secret',
    {
      schema: {
        tags,
        summary: 'A new conversion secret (managers); the old one stops working',
        params: SlugParams,
        response: { 200: BrandWithSecret },
      },
    },
    async (req) => brands.rotateSecret(deps, req.params.slug, requireViewer(req)),
  );
  app.get(
    '/brands/:slug/members',
    {
      schema: {
        tags,
        summary: 'Managers of a brand (its managers)',
        params: SlugParams,
        response: { 200: BrandMembers },
      },
    },
    async (req) => brands.listMembers(deps, req.params.slug, requireViewer(req)),
  );
  app.post(
    '/brands/:slug/members',
    {
      schema: {
        tags,
        summary: 'Add a manager (brand owners)',
        params: SlugParams,
        body: AddBrandMemberBody,
        response: { 200: BrandMembers },
      },
    },
    async (req) => brands.addMember(deps, req.params.slug, requireViewer(req), req.body),
  );
  app.delete(
    '/brands/:slug/members/:username',
    {
      schema: {
        tags,
        summary: 'Remove a manager (owners), or leave',
        params: SlugUserParams,
        response: { 200: Ok },
      },
    },
    async (req) => brands.removeMember(deps, req.params.slug, req.params.username, requireViewer(req)),
  );

  // --- creators ---
  app.get(
    '/me/creator',
    {
      schema: {
        tags,
        summary: 'Your creator profile (null until you opt in)',
        response: { 200: MyCreatorProfile },
      },
    },
    async (req) => creators.myProfile(deps, requireViewer(req)),
  );
  app.patch(
    '/me/creator',
    {
      schema: {
        tags,
        summary: 'Opt in to partnerships, or update your creator profile',
        body: CreatorProfileBody,
        response: { 200: MyCreatorProfile },
      },
    },
    async (req) => creators.saveProfile(deps, requireViewer(req), req.body),
  );
  app.delete(
    '/me/creator',
    { schema: { tags, summary: 'Opt out of partnerships', response: { 200: Ok } } },
    async (req) => creators.deleteProfile(deps, requireViewer(req)),
  );
  app.get(
    '/me/creator/work',
    {
      schema: {
        tags,
        summary: 'Your invitations, applications, open campaigns and deliverables',
        response: { 200: CreatorWork },
      },
    },
    async (req) => creators.myWork(deps, requireViewer(req)),
  );
  app.get(
    '/creators',
    {
      schema: {
        tags,
        summary: 'Find creators by niche and figures (brand managers)',
        querystring: CreatorSearchQuery,
        response: { 200: CreatorSearchResult },
      },
    },
    async (req) => creators.searchCreators(deps, requireViewer(req), req.query),
  );
  app.get(
    '/creators/:username',
    {
      schema: {
        tags,
        summary: 'A creator’s public profile and figures',
        params: UsernameParams,
        response: { 200: CreatorProfileResult },
      },
    },
    async (req) => creators.getProfile(deps, req.params.username),
  );

  // --- communities: consent to sponsored content ---
  app.get(
    '/communities/:slug/partnerships',
    {
      schema: {
        tags,
        summary: 'Whether the community accepts campaigns and sponsored posts',
        params: SlugParams,
        response: { 200: PartnershipSettings },
      },
    },
    async (req) => campaigns.getSettings(deps, req.params.slug, req.viewer),
  );
  app.patch(
    '/communities/:slug/partnerships',
    {
      schema: {
        tags,
        summary: 'Opt the community out of (or in to) sponsored content (owners)',
        params: SlugParams,
        body: PartnershipSettingsBody,
        response: { 200: PartnershipSettings },
      },
    },
    async (req) =>
      campaigns.saveSettings(deps, req.params.slug, requireViewer(req), req.body.sponsoredAllowed),
  );
  app.get(
    '/communities/:slug/campaigns',
    {
      schema: {
        tags,
        summary: 'Campaigns that asked to run in the community (owners)',
        params: SlugParams,
        response: { 200: CommunityCampaigns },
      },
    },
    async (req) => campaigns.communityCampaigns(deps, req.params.slug, requireViewer(req)),
  );
  app.post(
    '/communities/:slug/campaigns/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a campaign in the community (owners)',
        params: SlugIdParams,
        body: DecisionBody,
        response: { 200: Campaign },
      },
    },
    async (req) =>
      campaigns.decideCommunity(deps, req.params.slug, req.params.id, requireViewer(req), req.body),
  );

  app.post(
    '/sponsored/:type/:id/remove',
    {
      schema: {
        tags,
        summary: 'Remove a sponsorship label (site admins; logged)',
        params: TargetParams,
        body: RemoveLabelBody,
        response: { 200: Ok },
      },
    },
    async (req) => removeLabel(deps, req.params.type, req.params.id, requireViewer(req), req.body.reason),
  );

  await app.register(campaignRoutes(deps));
  await app.register(conversionRoutes(deps));
};

/**
 * The signed conversion endpoint. In its own encapsulated plugin: the HMAC is over the exact
 * bytes sent, so this context's JSON parser keeps the raw body next to the parsed one.
 */
function conversionRoutes(deps: brands.PartnershipDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      req.rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        const err = new Error('Body is not valid JSON') as Error & { statusCode: number };
        err.statusCode = 400;
        done(err, undefined);
      }
    });
    app.post(
      '/partnerships/conversions',
      {
        schema: {
          tags: ['partnerships'],
          summary: `Record a conversion from a brand's shop (server to server, signed: ${SIGNATURE_HEADER})`,
          security: [],
          body: ConversionBody,
          response: { 200: ConversionResult, 201: ConversionResult },
        },
      },
      async (req, reply) => {
        const header = req.headers[SIGNATURE_HEADER];
        const result = await recordConversion(
          deps,
          req.rawBody ?? '',
          req.body,
          typeof header === 'string' ? header : undefined,
        );
        reply.code(result.duplicate ? 200 : 201);
        return result;
      },
    );
  };
}

/** `GET /r/{code}`: tracked links, outside /api (a 302 to the brand's stored URL). */
export async function partnershipsRedirect(app: FastifyInstance): Promise<void> {
  const deps = { db: app.db, events: app.events, clock: app.clock, publicUrl: app.config.publicUrl };
  app.get<{ Params: { code: string } }>(
    '/r/:code',
    { schema: { hide: true }, onRequest: authHook(app.db, app.clock) },
    async (req, reply) => {
      const to = await followLink(
        deps,
        req.params.code,
        req.viewer,
        req.ip,
        String(req.headers['user-agent'] ?? ''),
      );
      return reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .redirect(to, 302);
    },
  );
}
