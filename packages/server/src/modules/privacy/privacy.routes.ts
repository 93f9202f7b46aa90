import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { clearSessionCookies, requireViewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import { erase, exportData, getConsent, putConsent } from './privacy.service.ts';

const ConsentBody = Type.Object(
  { analytics: Type.Boolean({ description: 'record my reading (time on threads, visits) as mine' }) },
  { additionalProperties: false },
);
const EraseBody = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 1000 }),
    content: Type.Union([Type.Literal('anonymise'), Type.Literal('delete')], {
      description: 'anonymise: keep my posts under "Deleted member"; delete: remove their text',
    }),
  },
  { additionalProperties: false },
);

/** Privacy (issue 8): consent, the member's data export, account erasure. */
export const privacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = {
    db: app.db,
    events: app.events,
    clock: app.clock,
    retentionDays: app.config.analyticsRetentionDays,
  };
  const tags = ['privacy'];

  app.get('/me/consent', { schema: { tags, summary: 'My analytics consent and its history' } }, async (req) =>
    getConsent(deps, requireViewer(req)),
  );
  app.put(
    '/me/consent',
    { schema: { tags, summary: 'Give or withdraw analytics consent', body: ConsentBody } },
    async (req) => putConsent(deps, requireViewer(req), req.body.analytics),
  );
  app.get(
    '/me/export',
    { schema: { tags, summary: 'Download all my data as one JSON archive' } },
    async (req, reply) => {
      const viewer = requireViewer(req);
      const data = await exportData(deps, viewer);
      const day = iso(app.clock.now()).slice(0, 10);
      reply.header('content-disposition', `attachment; filename="hearth-${viewer.username}-${day}.json"`);
      return data;
    },
  );
  app.post(
    '/me/erase',
    {
      schema: {
        tags,
        summary: 'Erase my account (password confirmation; my posts anonymised or deleted as I choose)',
        body: EraseBody,
      },
    },
    async (req, reply) => {
      const result = await erase(deps, requireViewer(req), req.body);
      clearSessionCookies(reply);
      return result;
    },
  );
};
