import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireViewer } from '../../platform/auth.ts';
import { DAY } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import { assertMember, communityAccess } from '../../platform/permissions.ts';
import { findCommunityBySlug } from '../communities/communities.queries.ts';
import { activeDays, award, isHidden, leaderboard, memberPoints, setHidden } from './gamification.queries.ts';
import { PERIODS, type Period, periodStart } from './leaderboards.ts';
import { levelFor } from './levels.ts';
import { registerPointHandlers, WEIGHTS } from './points.ts';
import { streakFrom } from './streaks.ts';

const Slug = Type.Object({ slug: Type.String({ maxLength: 64 }) });
const MemberParams = Type.Object({
  slug: Type.String({ maxLength: 64 }),
  username: Type.String({ maxLength: 64 }),
});
const Prefs = Type.Object({ hideFromLeaderboards: Type.Boolean() }, { additionalProperties: false });
const BoardQuery = Type.Object({
  period: Type.Union(
    PERIODS.map((p) => Type.Literal(p)),
    { default: 'all' },
  ),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

/** Gamification (issue 7, first slice): points from content events, daily visits, summary, leaderboards. */
export async function gamificationRoutes(app: FastifyInstance): Promise<void> {
  registerPointHandlers(app.events);

  /** Private communities: 404 for anyone who cannot read them, so nothing leaks. */
  const readable = async (req: FastifyRequest, slug: string) => {
    const community = await findCommunityBySlug(app.db, slug);
    if (!community) fail('COMMUNITY_NOT_FOUND', 'No such community');
    const access = await communityAccess(app.db, community, req.viewer);
    if (!access.canRead) fail('COMMUNITY_NOT_FOUND', 'No such community');
    return { community, access };
  };

  app.get<{ Params: Static<typeof MemberParams> }>(
    '/communities/:slug/members/:username/gamification',
    {
      schema: {
        tags: ['gamification'],
        summary: "A member's points and level in a community",
        params: MemberParams,
      },
    },
    async (req) => {
      const { community } = await readable(req, req.params.slug);
      const user = await app.db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .select(['users.id', 'users.username'])
        .where('users.username', '=', req.params.username.toLowerCase())
        .where('memberships.community_id', '=', community.id)
        .where('memberships.status', '=', 'active')
        .executeTakeFirst();
      if (!user) fail('USER_NOT_FOUND', 'No such member');
      const points = await memberPoints(app.db, community.id, user.id);
      const today = Math.floor(app.clock.now() / DAY);
      // A year back bounds the read; a streak longer than that is reported as 366 days at most.
      const streak = streakFrom(await activeDays(app.db, community.id, user.id, today - 366), today);
      return { username: user.username, points, level: levelFor(points), streak };
    },
  );

  app.get<{ Params: Static<typeof Slug>; Querystring: Static<typeof BoardQuery> }>(
    '/communities/:slug/leaderboard',
    {
      schema: {
        tags: ['gamification'],
        summary: 'Top members by points',
        params: Slug,
        querystring: BoardQuery,
      },
    },
    async (req) => {
      const { community } = await readable(req, req.params.slug);
      const since = periodStart(req.query.period as Period, app.clock.now());
      const rows = await leaderboard(app.db, community.id, since, req.query.limit);
      return {
        period: req.query.period,
        items: rows.map((r, i) => ({ rank: i + 1, username: r.username, points: Number(r.points) })),
      };
    },
  );

  app.post<{ Params: Static<typeof Slug> }>(
    '/communities/:slug/visit',
    {
      schema: {
        tags: ['gamification'],
        summary: 'Record a daily visit (points once per UTC day)',
        params: Slug,
      },
    },
    async (req) => {
      const viewer = requireViewer(req);
      const { community, access } = await readable(req, req.params.slug);
      assertMember(access);
      const now = app.clock.now();
      const day = Math.floor(now / DAY); // UTC day number
      await award(app.db, {
        communityId: community.id,
        userId: viewer.userId,
        source: `visit:${community.id}:${day}`,
        reason: 'daily_visit',
        points: WEIGHTS.daily_visit,
        at: now,
      });
      return { ok: true, points: await memberPoints(app.db, community.id, viewer.userId) };
    },
  );

  app.patch<{ Params: Static<typeof Slug>; Body: Static<typeof Prefs> }>(
    '/communities/:slug/me/gamification',
    {
      schema: {
        tags: ['gamification'],
        summary: 'Your gamification settings here',
        params: Slug,
        body: Prefs,
      },
    },
    async (req) => {
      const viewer = requireViewer(req);
      const { community, access } = await readable(req, req.params.slug);
      assertMember(access);
      await setHidden(app.db, community.id, viewer.userId, req.body.hideFromLeaderboards);
      return { hideFromLeaderboards: await isHidden(app.db, community.id, viewer.userId) };
    },
  );
}
