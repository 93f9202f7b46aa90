import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import { actOnItem, actOnTarget, revoke } from './actions.service.ts';
import { createAppeal, decideAppeal, listAppeals } from './appeals.service.ts';
import type { ModerationDeps } from './context.ts';
import {
  ActBody,
  ActOnTargetBody,
  ActResult,
  AppealBody,
  AppealList,
  AppealResult,
  AppealsQuery,
  DecisionBody,
  IdParams,
  MemberParams,
  MemberRecord,
  Modlog,
  MyModeration,
  NoteBody,
  PageQuery,
  Queue,
  QueueItem,
  ReportBody,
  ReportCreated,
  SlugParams,
} from './moderation.schema.ts';
import { memberRecord, modlog, myModeration } from './modlog.service.ts';
import { communityQueue, getItem, siteQueue } from './queue.service.ts';
import { createReport } from './reports.service.ts';

/** Reports, review queues, moderator actions, appeals, the moderation log. */
export function reviewRoutes(deps: ModerationDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['moderation'];

    app.post(
      '/reports',
      {
        schema: {
          tags,
          summary: 'Report a thread, comment or profile (reason, optionally the rule broken)',
          body: ReportBody,
          response: { 201: ReportCreated },
        },
      },
      async (req, reply) => {
        const r = await createReport(deps, requireViewer(req), req.body);
        reply.code(201);
        return r;
      },
    );

    app.get(
      '/communities/:slug/moderation/queue',
      {
        schema: {
          tags,
          summary: "The community's review queue, highest weighted score first (moderators)",
          params: SlugParams,
          querystring: PageQuery,
          response: { 200: Queue },
        },
      },
      async (req) => communityQueue(deps, req.params.slug, requireViewer(req), req.query),
    );

    app.get(
      '/moderation/queue',
      {
        schema: {
          tags,
          summary: 'The site review queue: profile reports and escalations (site admins)',
          querystring: PageQuery,
          response: { 200: Queue },
        },
      },
      async (req) => siteQueue(deps, requireViewer(req), req.query),
    );

    app.get(
      '/moderation/items/:id',
      { schema: { tags, summary: 'One review item', params: IdParams, response: { 200: QueueItem } } },
      async (req) => getItem(deps, requireViewer(req), req.params.id),
    );

    app.post(
      '/moderation/items/:id/actions',
      {
        schema: {
          tags,
          summary:
            'Act on a review item in one call: approve, remove, lock, warn, mute, ban, suspend, escalate',
          params: IdParams,
          body: ActBody,
          response: { 200: ActResult },
        },
      },
      async (req) => actOnItem(deps, requireViewer(req), req.params.id, req.body),
    );

    app.post(
      '/communities/:slug/moderation/actions',
      {
        schema: {
          tags,
          summary: 'Act on a thread, comment or member directly (moderators)',
          params: SlugParams,
          body: ActOnTargetBody,
          response: { 200: ActResult },
        },
      },
      async (req) => actOnTarget(deps, requireViewer(req), req.params.slug, req.body),
    );

    app.post(
      '/moderation/actions/:id/revoke',
      {
        schema: {
          tags,
          summary: 'Lift a mute, ban or suspension early, or unlock a thread',
          params: IdParams,
          body: NoteBody,
          response: { 200: Ok },
        },
      },
      async (req) => revoke(deps, requireViewer(req), req.params.id, req.body.note ?? ''),
    );

    app.post(
      '/moderation/actions/:id/appeal',
      {
        schema: {
          tags,
          summary: 'Appeal an action against you (once); another moderator decides',
          params: IdParams,
          body: AppealBody,
          response: { 201: AppealResult },
        },
      },
      async (req, reply) => {
        const r = await createAppeal(deps, requireViewer(req), req.params.id, req.body.body);
        reply.code(201);
        return r;
      },
    );

    app.get(
      '/communities/:slug/moderation/appeals',
      {
        schema: {
          tags,
          summary: 'Appeals in a community (moderators)',
          params: SlugParams,
          querystring: AppealsQuery,
          response: { 200: AppealList },
        },
      },
      async (req) => listAppeals(deps, requireViewer(req), req.params.slug, req.query),
    );

    app.get(
      '/moderation/appeals',
      {
        schema: {
          tags,
          summary: 'Appeals against site-wide actions (site admins)',
          querystring: AppealsQuery,
          response: { 200: AppealList },
        },
      },
      async (req) => listAppeals(deps, requireViewer(req), null, req.query),
    );

    app.post(
      '/moderation/appeals/:id/decision',
      {
        schema: {
          tags,
          summary: 'Uphold or overturn an appeal (a moderator other than the one who acted)',
          params: IdParams,
          body: DecisionBody,
          response: { 200: AppealResult },
        },
      },
      async (req) => decideAppeal(deps, requireViewer(req), req.params.id, req.body),
    );

    app.get(
      '/communities/:slug/members/:username/moderation',
      {
        schema: {
          tags,
          summary: "A member's moderation history and the ladder's next step (moderators)",
          params: MemberParams,
          response: { 200: MemberRecord },
        },
      },
      async (req) => memberRecord(deps, req.params.slug, req.params.username, requireViewer(req)),
    );

    app.get(
      '/communities/:slug/modlog',
      {
        schema: {
          tags,
          summary:
            'The public moderation log: what, when, which rule (moderator names per community setting)',
          params: SlugParams,
          querystring: PageQuery,
          response: { 200: Modlog },
        },
      },
      async (req) => modlog(deps, req.params.slug, req.viewer, req.query),
    );

    app.get(
      '/me/moderation',
      {
        schema: {
          tags,
          summary: 'Actions taken against you or your content, with reasons and appeal status',
          querystring: PageQuery,
          response: { 200: MyModeration },
        },
      },
      async (req) => myModeration(deps, requireViewer(req), req.query),
    );
  };
}
