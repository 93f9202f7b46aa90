import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { clearSessionCookies, requireViewer, setSessionCookies } from '../../platform/auth.ts';
import { HOUR } from '../../platform/clock.ts';
import {
  ApiToken,
  AuthResponse,
  CreatedToken,
  CreateTokenBody,
  IdParams,
  LoginBody,
  Me,
  Ok,
  PublicUser,
  SignupBody,
  UpdateMeBody,
  UsernameParams,
} from './accounts.schema.ts';
import * as svc from './accounts.service.ts';
import './accounts.rights.ts';

/** Accounts: sign-up, log-in, sessions, profile, personal API tokens. */
export const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['accounts'];

  app.jobs.every('accounts.prune', HOUR, () => svc.pruneAuthTables(deps));

  app.post(
    '/auth/signup',
    {
      schema: {
        tags,
        summary: 'Create an account and sign in',
        body: SignupBody,
        response: { 201: AuthResponse },
      },
    },
    async (req, reply) => {
      const user = await svc.signUp(deps, req.body);
      // Session rotation: whatever session this browser had ends with a new sign-in.
      if (req.viewer) await svc.endSession(deps, req.viewer);
      const session = await svc.startSession(deps, user.id);
      setSessionCookies(reply, req, session);
      reply.code(201);
      return { user: await svc.presentMe(deps, user, session.csrfToken) };
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with username or email',
        body: LoginBody,
        response: { 200: AuthResponse },
      },
    },
    async (req, reply) => {
      const user = await svc.logIn(deps, req.body, req.ip);
      if (req.viewer) await svc.endSession(deps, req.viewer);
      const session = await svc.startSession(deps, user.id);
      setSessionCookies(reply, req, session);
      return { user: await svc.presentMe(deps, user, session.csrfToken) };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags, summary: 'Sign out', response: { 200: Ok } } },
    async (req, reply) => {
      const viewer = requireViewer(req);
      await svc.endSession(deps, viewer);
      clearSessionCookies(reply);
      return { ok: true };
    },
  );

  app.get('/me', { schema: { tags, summary: 'The signed-in member', response: { 200: Me } } }, async (req) =>
    svc.getMe(deps, requireViewer(req)),
  );

  app.patch(
    '/me',
    { schema: { tags, summary: 'Update your profile', body: UpdateMeBody, response: { 200: Me } } },
    async (req) => svc.updateProfile(deps, requireViewer(req), req.body),
  );

  app.get(
    '/me/tokens',
    {
      schema: {
        tags,
        summary: 'Your personal API tokens',
        response: { 200: Type.Object({ items: Type.Array(ApiToken) }) },
      },
    },
    async (req) => ({ items: await svc.listTokens(deps, requireViewer(req)) }),
  );

  app.post(
    '/me/tokens',
    {
      schema: {
        tags,
        summary: 'Create a personal API token',
        body: CreateTokenBody,
        response: { 201: CreatedToken },
      },
    },
    async (req, reply) => {
      const token = await svc.createToken(deps, requireViewer(req), req.body.name);
      reply.code(201);
      return token;
    },
  );

  app.delete(
    '/me/tokens/:id',
    { schema: { tags, summary: 'Revoke a personal API token', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await svc.revokeToken(deps, requireViewer(req), req.params.id);
      return { ok: true };
    },
  );

  app.get(
    '/users/:username',
    {
      schema: {
        tags,
        summary: 'A member’s public profile',
        params: UsernameParams,
        response: { 200: PublicUser },
      },
    },
    async (req) => svc.getProfile(deps, req.params.username),
  );
};
