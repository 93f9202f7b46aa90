import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { setSessionCookies } from '../../platform/auth.ts';
import { HOUR } from '../../platform/clock.ts';
import { AuthResponse } from './accounts.schema.ts';
import * as accounts from './accounts.service.ts';
import { pruneResets } from './password-reset.queries.ts';
import * as svc from './password-reset.service.ts';

const RequestBody = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) });
const ConfirmBody = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200 }),
  password: Type.String({ minLength: 10, maxLength: 256, description: 'At least 10 characters' }),
});
const Accepted = Type.Object({ ok: Type.Boolean(), message: Type.String() });

/** Password reset by email (rate-limited with sign-up and log-in: HEARTH_RATE_LIMIT_AUTH per hour per address). */
export const passwordResetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps: svc.ResetDeps = {
    db: app.db,
    events: app.events,
    clock: app.clock,
    mail: app.mail,
    publicUrl: app.config.publicUrl,
  };
  const tags = ['accounts'];
  app.jobs.every('accounts.prune_resets', HOUR, () => pruneResets(app.db, app.clock.now() - HOUR));

  app.post(
    '/auth/password-reset',
    {
      schema: {
        tags,
        summary: 'Email a password reset link (always 202: does not tell whether the address has an account)',
        body: RequestBody,
        response: { 202: Accepted },
      },
    },
    async (req, reply) => {
      await svc.requestReset(deps, req.body.email);
      reply.code(202);
      return { ok: true, message: 'If an account uses this address, a reset link is on its way.' };
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags,
        summary: 'Set a new password with a reset token; ends every session and signs this browser in',
        body: ConfirmBody,
        response: { 200: AuthResponse },
      },
    },
    async (req, reply) => {
      const userId = await svc.confirmReset(deps, req.body.token, req.body.password);
      const session = await accounts.startSession(deps, userId);
      setSessionCookies(reply, req, session);
      const me = await accounts.getMe(deps, {
        userId,
        username: '',
        isAdmin: false,
        via: 'session',
        csrfToken: session.csrfToken,
      });
      return { user: me };
    },
  );
};
