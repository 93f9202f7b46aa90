import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { landingPage } from '../../platform/landing.ts';
import { notFoundPage, type PublicComment, type PublicThread, threadPage, threadPath } from './web.render.ts';
import { findWebDist, Shell } from './web.shell.ts';

/** How many comments the server-rendered page shows (the API's largest page). */
const SSR_COMMENTS = 500;

/**
 * The web app on the API's port: the built SPA (packages/web/dist) with a fallback to
 * index.html for client-side routes, and server-rendered pages of public threads at the
 * same URLs the SPA uses (/c/{slug}/t/{id}). Unknown /api/* paths keep the JSON 404.
 * Without a build, / shows the small landing page and thread URLs still render.
 */
export async function webRoutes(app: FastifyInstance): Promise<void> {
  const dist = findWebDist();
  const shell = new Shell(dist);
  if (dist) await app.register(fastifyStatic, { root: dist, serve: false, index: false });

  const sendHtml = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);

  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const index = shell.index();
    return sendHtml(reply, 200, index ?? landingPage());
  });

  app.get<{ Params: { slug: string; id: string } }>(
    '/c/:slug/t/:id',
    { schema: { hide: true } },
    async (req, reply) => {
      const found = await loadPublicThread(app, req.params.id);
      if (!found) return sendHtml(reply, 404, shell.render(notFoundPage()));
      const { thread, comments, more } = found;
      if (thread.community.slug !== req.params.slug) {
        return reply.redirect(threadPath(thread.community.slug, thread.id), 301);
      }
      return sendHtml(
        reply,
        200,
        shell.render(threadPage(thread, comments, { publicUrl: app.config.publicUrl, more })),
      );
    },
  );

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const rawPath = req.url.split('?')[0] ?? '/';
    const urlPath = decodeSafe(rawPath);
    if (urlPath === null || urlPath === '/api' || urlPath.startsWith('/api/')) return reply.callNotFound();
    if (dist && isFile(dist, urlPath)) {
      // Vite names built assets by content hash, so they never change under the same name.
      const immutable = urlPath.startsWith('/assets/');
      return reply.sendFile(rawPath.slice(1), {
        immutable,
        maxAge: immutable ? 365 * 24 * 3600 * 1000 : 3600 * 1000,
      });
    }
    // A missing asset is a 404, not the app's page (a stale cached index.html asking for an old bundle).
    if (urlPath.startsWith('/assets/') || !dist) return reply.callNotFound();
    // Client-side routes are for browsers (which ask for text/html); a script or API client
    // asking for an unknown path keeps the JSON 404 of the error contract.
    if (!String(req.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    return sendHtml(reply, 200, shell.index() ?? landingPage());
  });
}

/**
 * The thread as the public API shows it to an anonymous reader. Going through the API
 * (not the content module's internals) means the page can only ever contain what anyone
 * could fetch: a private community's thread, or a deleted one, is a 404 there and here.
 * The community is checked to be public as well, as a second lock.
 */
async function loadPublicThread(app: FastifyInstance, rawId: string) {
  if (!/^[1-9]\d{0,9}$/.test(rawId)) return null;
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1${url}` });
    return res.statusCode === 200 ? res.json() : null;
  };
  const thread = (await get(`/threads/${rawId}`)) as (PublicThread & { deleted: boolean }) | null;
  if (!thread || thread.deleted) return null;
  const community = (await get(`/communities/${encodeURIComponent(thread.community.slug)}`)) as {
    visibility: string;
  } | null;
  if (community?.visibility !== 'public') return null;
  const page = (await get(`/threads/${thread.id}/comments?limit=${SSR_COMMENTS}`)) as {
    items: PublicComment[];
    nextCursor: string | null;
  } | null;
  return { thread, comments: page?.items ?? [], more: !!page?.nextCursor };
}

function decodeSafe(p: string): string | null {
  try {
    const decoded = decodeURIComponent(p);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** A regular file inside dist (never outside it: `..` is resolved first and checked). */
function isFile(dist: string, urlPath: string): boolean {
  const file = path.resolve(dist, `.${urlPath}`);
  if (!file.startsWith(dist + path.sep)) return false;
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
