import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import type { PartnershipDeps } from './brands.service.ts';
import * as campaigns from './campaigns.service.ts';
import * as deliverables from './deliverables.service.ts';
import { createLink, createPromoCode } from './links.service.ts';
import {
  ApplyBody,
  Campaign,
  CampaignCommunityBody,
  CampaignList,
  CreateCampaignBody,
  CreateDeliverableBody,
  CreateLinkBody,
  CreatePayoutBody,
  CreatePromoBody,
  Deliverable,
  DeliverableList,
  IdParams,
  IdUserParams,
  InviteBody,
  Payout,
  PromoCode,
  Report,
  ReportQuery,
  RespondBody,
  ReviewBody,
  SlugParams,
  TrackedLink,
  UpdateCampaignBody,
  UpdateDeliverableBody,
  UpdatePayoutBody,
} from './partnerships.schema.ts';
import { createPayout, updatePayout } from './payouts.service.ts';
import { campaignReport, reportCsv } from './report.service.ts';

/** Campaigns, their creators, deliverables, links, promo codes, payouts and the ROI report. */
export function campaignRoutes(deps: PartnershipDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['partnerships'];
    app.post(
      '/brands/:slug/campaigns',
      {
        schema: {
          tags,
          summary: 'Create a campaign (brand managers)',
          params: SlugParams,
          body: CreateCampaignBody,
          response: { 201: Campaign },
        },
      },
      async (req, reply) => {
        const c = await campaigns.createCampaign(deps, req.params.slug, requireViewer(req), req.body);
        reply.code(201);
        return c;
      },
    );
    app.get(
      '/brands/:slug/campaigns',
      {
        schema: {
          tags,
          summary: 'A brand’s campaigns (its managers)',
          params: SlugParams,
          response: { 200: CampaignList },
        },
      },
      async (req) => campaigns.listBrandCampaigns(deps, req.params.slug, requireViewer(req)),
    );
    app.get(
      '/campaigns/:id',
      {
        schema: {
          tags,
          summary:
            'A campaign (managers, its creators, owners of communities it asked, opted-in creators if open)',
          params: IdParams,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.getCampaign(deps, req.params.id, requireViewer(req)),
    );
    app.patch(
      '/campaigns/:id',
      {
        schema: {
          tags,
          summary: 'Edit a campaign (managers)',
          params: IdParams,
          body: UpdateCampaignBody,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.updateCampaign(deps, req.params.id, requireViewer(req), req.body),
    );
    app.post(
      '/campaigns/:id/communities',
      {
        schema: {
          tags,
          summary: 'Ask to run the campaign in a community; its owners approve (managers)',
          params: IdParams,
          body: CampaignCommunityBody,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.requestCommunity(deps, req.params.id, requireViewer(req), req.body.community),
    );
    app.post(
      '/campaigns/:id/invites',
      {
        schema: {
          tags,
          summary: 'Invite a creator (managers)',
          params: IdParams,
          body: InviteBody,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.inviteCreator(deps, req.params.id, requireViewer(req), req.body),
    );
    app.post(
      '/campaigns/:id/apply',
      {
        schema: {
          tags,
          summary: 'Apply to an open campaign (creators)',
          params: IdParams,
          body: ApplyBody,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.apply(deps, req.params.id, requireViewer(req), req.body),
    );
    app.post(
      '/campaigns/:id/creators/:username/respond',
      {
        schema: {
          tags,
          summary: 'Accept or decline: an invitation (the creator) or an application (managers)',
          params: IdUserParams,
          body: RespondBody,
          response: { 200: Campaign },
        },
      },
      async (req) =>
        campaigns.respond(deps, req.params.id, req.params.username, requireViewer(req), req.body.accept),
    );

    // --- deliverables ---
    app.post(
      '/campaigns/:id/deliverables',
      {
        schema: {
          tags,
          summary: 'Draft campaign content (accepted creators)',
          params: IdParams,
          body: CreateDeliverableBody,
          response: { 201: Deliverable },
        },
      },
      async (req, reply) => {
        const d = await deliverables.createDeliverable(deps, req.params.id, requireViewer(req), req.body);
        reply.code(201);
        return d;
      },
    );
    app.get(
      '/campaigns/:id/deliverables',
      {
        schema: {
          tags,
          summary: 'Deliverables (managers: all; creators: their own)',
          params: IdParams,
          response: { 200: DeliverableList },
        },
      },
      async (req) => deliverables.listDeliverables(deps, req.params.id, requireViewer(req)),
    );
    app.get(
      '/deliverables/:id',
      {
        schema: {
          tags,
          summary: 'A deliverable (its creator, brand managers)',
          params: IdParams,
          response: { 200: Deliverable },
        },
      },
      async (req) => deliverables.getDeliverable(deps, req.params.id, requireViewer(req)),
    );
    app.patch(
      '/deliverables/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft or content sent back for changes (its creator)',
          params: IdParams,
          body: UpdateDeliverableBody,
          response: { 200: Deliverable },
        },
      },
      async (req) => deliverables.updateDeliverable(deps, req.params.id, requireViewer(req), req.body),
    );
    app.post(
      '/deliverables/:id/submit',
      {
        schema: {
          tags,
          summary: 'Send for brand review (its creator)',
          params: IdParams,
          response: { 200: Deliverable },
        },
      },
      async (req) => deliverables.submitDeliverable(deps, req.params.id, requireViewer(req)),
    );
    app.post(
      '/deliverables/:id/review',
      {
        schema: {
          tags,
          summary: 'Approve or ask for changes (brand managers)',
          params: IdParams,
          body: ReviewBody,
          response: { 200: Deliverable },
        },
      },
      async (req) => deliverables.reviewDeliverable(deps, req.params.id, requireViewer(req), req.body),
    );
    app.post(
      '/deliverables/:id/publish',
      {
        schema: {
          tags,
          summary: 'Publish approved content with its "Sponsored · brand" label (its creator)',
          params: IdParams,
          response: { 200: Deliverable },
        },
      },
      async (req) => deliverables.publishDeliverable(deps, req.params.id, requireViewer(req)),
    );

    // --- attribution and money ---
    app.post(
      '/campaigns/:id/links',
      {
        schema: {
          tags,
          summary: 'A tracked link for a creator (managers)',
          params: IdParams,
          body: CreateLinkBody,
          response: { 201: TrackedLink },
        },
      },
      async (req, reply) => {
        const l = await createLink(deps, req.params.id, requireViewer(req), req.body);
        reply.code(201);
        return l;
      },
    );
    app.post(
      '/campaigns/:id/promo-codes',
      {
        schema: {
          tags,
          summary: 'A promo code for a creator (managers)',
          params: IdParams,
          body: CreatePromoBody,
          response: { 201: PromoCode },
        },
      },
      async (req, reply) => {
        const p = await createPromoCode(deps, req.params.id, requireViewer(req), req.body);
        reply.code(201);
        return p;
      },
    );
    app.get(
      '/campaigns/:id/report',
      {
        schema: {
          tags,
          summary: 'ROI per creator: engagement, clicks, conversions, revenue, cost (managers)',
          params: IdParams,
          querystring: ReportQuery,
          response: { 200: Report },
        },
      },
      async (req) => campaignReport(deps, req.params.id, requireViewer(req), req.query.model),
    );
    app.get(
      '/campaigns/:id/report.csv',
      {
        schema: {
          tags,
          summary: 'The ROI report as CSV (managers)',
          params: IdParams,
          querystring: ReportQuery,
        },
      },
      async (req, reply) => {
        const report = await campaignReport(deps, req.params.id, requireViewer(req), req.query.model);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="campaign-${req.params.id}-roi.csv"`)
          .send(reportCsv(report));
      },
    );
    app.post(
      '/campaigns/:id/payouts',
      {
        schema: {
          tags,
          summary: 'Record a payout (managers)',
          params: IdParams,
          body: CreatePayoutBody,
          response: { 201: Payout },
        },
      },
      async (req, reply) => {
        const p = await createPayout(deps, req.params.id, requireViewer(req), req.body);
        reply.code(201);
        return p;
      },
    );
    app.patch(
      '/payouts/:id',
      {
        schema: {
          tags,
          summary: 'Update a payout’s status or date (managers)',
          params: IdParams,
          body: UpdatePayoutBody,
          response: { 200: Payout },
        },
      },
      async (req) => updatePayout(deps, req.params.id, requireViewer(req), req.body),
    );
  };
}
