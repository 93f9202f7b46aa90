import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TObject } from '@sinclair/typebox';
import { requireViewer } from '../../platform/auth.ts';
import * as discover from './discover.service.ts';
import {
  CommunityEntryList,
  CommunitySuggestions,
  DiscoverQuery,
  Feed,
  FollowState,
  MuteState,
  PageQuery,
  SlugParams,
  TagList,
  TagParams,
  TrendingTags,
  UserList,
  UsernameParams,
} from './feed.schema.ts';
import { homeFeed } from './feed.service.ts';
import * as social from './social.service.ts';

const KINDS = {
  users: { params: UsernameParams, param: 'username', list: UserList },
  tags: { params: TagParams, param: 'name', list: TagList },
  communities: { params: SlugParams, param: 'slug', list: CommunityEntryList },
} as const satisfies Record<social.MuteKind, { params: TObject; param: string; list: TObject }>;

/** Feed: follows, mutes, the personalized home feed, discovery. Everything here is about the viewer. */
export const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['feed'];

  for (const rel of ['follows', 'mutes'] as const) {
    const kinds: social.MuteKind[] = rel === 'follows' ? ['users', 'tags'] : ['users', 'communities', 'tags'];
    const State = rel === 'follows' ? FollowState : MuteState;
    const SINGULAR = { users: 'member', communities: 'community', tags: 'tag' } as const;
    for (const kind of kinds) {
      const k = KINDS[kind];
      const path = `/${rel}/${kind}/:${k.param}`;
      const nameOf = (params: unknown) => (params as Record<string, string>)[k.param]!;
      app.post(
        path,
        {
          schema: {
            tags,
            summary: `${rel === 'follows' ? 'Follow' : 'Mute'} a ${SINGULAR[kind]}`,
            params: k.params,
            response: { 200: State },
          },
        },
        async (req) => {
          const viewer = requireViewer(req);
          return rel === 'follows'
            ? social.follow(deps, viewer, kind as social.FollowKind, nameOf(req.params))
            : social.mute(deps, viewer, kind, nameOf(req.params));
        },
      );
      app.delete(
        path,
        {
          schema: {
            tags,
            summary: `${rel === 'follows' ? 'Unfollow' : 'Unmute'} a ${SINGULAR[kind]}`,
            params: k.params,
            response: { 200: State },
          },
        },
        async (req) => {
          const viewer = requireViewer(req);
          return rel === 'follows'
            ? social.unfollow(deps, viewer, kind as social.FollowKind, nameOf(req.params))
            : social.unmute(deps, viewer, kind, nameOf(req.params));
        },
      );
      app.get(
        `/${rel}/${kind}`,
        {
          schema: {
            tags,
            summary: `The ${kind} you ${rel === 'follows' ? 'follow' : 'muted'}, newest first`,
            querystring: PageQuery,
            response: { 200: k.list },
          },
        },
        async (req) => social.list(deps, requireViewer(req), rel, kind, req.query) as never,
      );
    }
  }

  app.get(
    '/feed',
    {
      schema: {
        tags,
        summary:
          'Your home feed: threads from your communities, followed tags and members, ranked by scaled hot with boosts for your interests and your follows',
        querystring: PageQuery,
        response: { 200: Feed },
      },
    },
    async (req) => homeFeed(deps, requireViewer(req), req.query),
  );

  app.get(
    '/discover/communities',
    {
      schema: {
        tags,
        summary: 'Communities you may like, each with a short reason',
        querystring: DiscoverQuery,
        response: { 200: CommunitySuggestions },
      },
    },
    async (req) => discover.suggestCommunities(deps, req.viewer, req.query.limit),
  );

  app.get(
    '/discover/tags',
    {
      schema: {
        tags,
        summary: 'Trending tags this week (public communities)',
        querystring: DiscoverQuery,
        response: { 200: TrendingTags },
      },
    },
    async (req) => discover.trendingTags(deps, req.viewer, req.query.limit),
  );
};
