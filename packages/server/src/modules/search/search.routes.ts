import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SearchQuery, SearchResults } from './search.schema.ts';
import { search } from './search.service.ts';

/** Search: full text over threads, comments, communities and members, filtered to what the viewer may read. */
export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary:
          'Full-text search: type=threads|comments|communities|members, filters community, author, tag, from, to; highlighted snippets',
        querystring: SearchQuery,
        response: { 200: SearchResults },
      },
    },
    async (req) => search(app.db, req.viewer, req.query),
  );
};
