import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { registerAnalyticsHandlers } from './analytics.events.ts';
import './analytics.rights.ts';
import { registerAnalyticsJobs } from './analytics.jobs.ts';
import { ExportQuery, IngestBody, PeriodQuery, SlugParams } from './analytics.schema.ts';
import {
  contentSection,
  exportCsv,
  membersSection,
  overview,
  retentionSection,
} from './dashboard.service.ts';
import { ingest } from './ingest.service.ts';
import { loadManagedCommunity } from './metrics.service.ts';
import { rebuildCommunity } from './rebuild.ts';

/** Analytics (issue 8): reading ingestion, rollups from domain events, the managers' dashboard. */
export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, clock: app.clock };
  const tags = ['analytics'];
  registerAnalyticsHandlers(app.events);
  registerAnalyticsJobs(app.jobs, deps, app.config.analyticsRetentionDays);

  app.post(
    '/analytics/events',
    {
      schema: {
        tags,
        summary:
          'Report reading (anyone who can read the threads): stored as yours only with your consent, otherwise as anonymous daily counts',
        body: IngestBody,
      },
    },
    async (req) =>
      ingest(
        deps,
        req.viewer,
        { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') },
        req.body.events,
      ),
  );

  const dashboard = { tags, querystring: PeriodQuery, params: SlugParams };
  app.get(
    '/communities/:slug/analytics/overview',
    {
      schema: {
        ...dashboard,
        summary: 'Headline metrics for a period, the previous period, and a series (moderators)',
      },
    },
    async (req) => overview(deps, req.params.slug, req.viewer, req.query),
  );
  app.get(
    '/communities/:slug/analytics/retention',
    { schema: { ...dashboard, summary: 'Weekly join cohorts × weeks since joining (moderators)' } },
    async (req) => retentionSection(deps, req.params.slug, req.viewer, req.query),
  );
  app.get(
    '/communities/:slug/analytics/content',
    {
      schema: {
        ...dashboard,
        summary: 'Top threads by depth: reading time and distinct repliers (moderators)',
      },
    },
    async (req) => contentSection(deps, req.params.slug, req.viewer, req.query),
  );
  app.get(
    '/communities/:slug/analytics/members',
    {
      schema: {
        ...dashboard,
        summary: 'Engagement levels, champions, members at risk, newcomers without a reply (moderators)',
      },
    },
    async (req) => membersSection(deps, req.params.slug, req.viewer, req.query),
  );
  app.get(
    '/communities/:slug/analytics/export',
    {
      schema: {
        tags,
        summary: 'One dashboard table as CSV (moderators); suppressed cells are empty',
        params: SlugParams,
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const { filename, csv } = await exportCsv(deps, req.params.slug, req.viewer, req.query);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
      return csv;
    },
  );
  app.post(
    '/communities/:slug/analytics/rebuild',
    {
      schema: {
        tags,
        summary: "Rebuild the community's contribution rollups from its content (moderators)",
        params: SlugParams,
      },
    },
    async (req) => {
      requireViewer(req);
      const community = await loadManagedCommunity(deps, req.params.slug, req.viewer);
      const counts = await rebuildCommunity(deps, community.id);
      return { ok: true, ...counts };
    },
  );
};
