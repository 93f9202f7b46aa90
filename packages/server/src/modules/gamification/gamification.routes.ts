import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { registerBadgeRoutes } from './badges.routes.ts';
import { listLog, runBadgeJob } from './badges.service.ts';
import { loadModerated, loadReadable } from './context.ts';
import { registerGamificationHandlers } from './gamification.events.ts';
import {
  BoardQuery,
  LevelsQuery,
  LogQuery,
  MemberParams,
  Prefs,
  Slug,
  UserParams,
} from './gamification.schema.ts';
import * as svc from './gamification.service.ts';
import type { Period } from './leaderboards.ts';
import { sweepNoteAwards } from './points.ts';
import { registerRewardRoutes } from './rewards.routes.ts';
import { loadSettings, SettingsPatch, saveSettings } from './settings.ts';
import './gamification.rights.ts';

/** How often the badge job looks at the queue (cheap when it is empty). */
export const BADGE_JOB_MS = 5_000;

/**
 * Gamification (issue 7): points from events, levels with perks, streaks, leaderboards, badges,
 * rewards, per-community settings. Every route answers 404 COMMUNITY_NOT_FOUND to anyone who
 * cannot read a private community.
 */
export const gamificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['gamification'];
  registerGamificationHandlers(app.events);
  app.jobs.every('gamification.badges', BADGE_JOB_MS, () => runBadgeJob(deps));
  // Deleting a context note emits no event: take its helpful-note points back on a slower sweep.
  app.jobs.every('gamification.note_sweep', 10 * 60_000, async () => ({
    notesRevoked: await app.db.transaction().execute((trx) => sweepNoteAwards(trx)),
  }));

  app.get(
    '/communities/:slug/members/:username/gamification',
    {
      schema: {
        tags,
        summary: "A member's points, level, perks, streak and badges in a community",
        params: MemberParams,
      },
    },
    async (req) => svc.memberSummary(deps, req.params.slug, req.params.username, req.viewer),
  );

  app.get(
    '/communities/:slug/member-levels',
    {
      schema: {
        tags,
        summary: 'Levels and flair of several members at once (the names on a page)',
        params: Slug,
        querystring: LevelsQuery,
      },
    },
    async (req) => svc.memberLevels(deps, req.params.slug, req.viewer, req.query.usernames.split(',')),
  );

  app.get(
    '/communities/:slug/leaderboard',
    {
      schema: {
        tags,
        summary: 'Top members by points: period=week|month|year|all, optionally per tag',
        params: Slug,
        querystring: BoardQuery,
      },
    },
    async (req) =>
      svc.leaderboard(deps, req.params.slug, req.viewer, {
        ...req.query,
        period: req.query.period as Period,
      }),
  );

  app.get(
    '/users/:username/gamification',
    {
      schema: {
        tags,
        summary: "A member's points, levels and badges in the communities you can read",
        params: UserParams,
      },
    },
    async (req) => svc.userGamification(deps, req.params.username, req.viewer),
  );

  app.post(
    '/communities/:slug/visit',
    {
      schema: { tags, summary: 'Record a daily visit (points once per UTC day)', params: Slug },
    },
    async (req) => svc.visit(deps, req.params.slug, requireViewer(req)),
  );

  app.patch(
    '/communities/:slug/me/gamification',
    {
      schema: { tags, summary: 'Your gamification choices here', params: Slug, body: Prefs },
    },
    async (req) => svc.setPrefs(deps, req.params.slug, requireViewer(req), req.body.hideFromLeaderboards),
  );

  // Settings: the rules are public (members should know how points are earned); moderators change them.
  app.get(
    '/communities/:slug/gamification/settings',
    {
      schema: { tags, summary: 'Point weights, daily caps, ring rule, levels and perks', params: Slug },
    },
    async (req) => {
      const { community } = await loadReadable(app.db, req.params.slug, req.viewer);
      return loadSettings(app.db, community.id);
    },
  );
  app.patch(
    '/communities/:slug/gamification/settings',
    {
      schema: {
        tags,
        summary: 'Change weights, daily caps, the ring rule, levels and perks (moderators)',
        params: Slug,
        body: SettingsPatch,
      },
    },
    async (req) => {
      const viewer = requireViewer(req);
      const { community } = await loadModerated(app.db, req.params.slug, viewer);
      return saveSettings(app.db, community.id, req.body, viewer.userId, app.clock.now());
    },
  );

  app.get(
    '/communities/:slug/gamification/log',
    {
      schema: {
        tags,
        summary: "Moderators' badge grants and revokes, badge and reward changes (moderators)",
        params: Slug,
        querystring: LogQuery,
      },
    },
    async (req) => listLog(deps, req.params.slug, requireViewer(req), req.query),
  );

  registerBadgeRoutes(app, deps);
  registerRewardRoutes(app, deps);
};
