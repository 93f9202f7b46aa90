import { randomToken, sha256 } from '../../platform/auth.ts';
import { HOUR } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import { escapeHtml, type Mailer } from '../../platform/mail.ts';
import { type AccountsDeps, hashPassword } from './accounts.service.ts';
import * as q from './password-reset.queries.ts';

/**
 * Password reset. Asking always answers the same (202) whether or not the address has an
 * account, so nobody learns who is registered; the email goes out after the response. Tokens
 * are 32 random bytes, stored only as their SHA-256, valid for an hour and for one use; at most
 * RESETS_PER_HOUR emails per account per hour (more asks are answered the same and ignored).
 * Setting the new password ends every session of the account (and any other pending reset).
 */
export const RESET_TTL_MS = HOUR;
export const RESETS_PER_HOUR = 3;

export interface ResetDeps extends AccountsDeps {
  mail: Mailer;
  publicUrl: string;
}

export async function requestReset(deps: ResetDeps, email: string): Promise<void> {
  const user = await q.findUserByEmail(deps.db, email);
  if (!user) return;
  const now = deps.clock.now();
  if ((await q.countRecentResets(deps.db, user.id, now - HOUR)) >= RESETS_PER_HOUR) return;
  const token = randomToken(32);
  const link = `${deps.publicUrl.replace(/\/$/, '')}/reset-password?token=${token}`;
  await deps.db.transaction().execute(async (trx) => {
    await q.insertReset(trx, {
      token_hash: sha256(token),
      user_id: user.id,
      created_at: now,
      expires_at: now + RESET_TTL_MS,
      used_at: null,
    });
    await deps.mail.enqueue(trx, {
      to: user.email,
      userId: user.id,
      kind: 'password_reset',
      subject: 'Reset your Hearth password',
      text: [
        `Hi ${user.display_name},`,
        '',
        `Someone (hopefully you) asked to reset the password of ${user.username} on Hearth.`,
        `Choose a new one here within the hour: ${link}`,
        '',
        'If it was not you, ignore this email: your password stays as it is.',
      ].join('\n'),
      html: [
        `<p>Hi ${escapeHtml(user.display_name)},</p>`,
        `<p>Someone (hopefully you) asked to reset the password of <b>${escapeHtml(user.username)}</b> on Hearth.</p>`,
        `<p><a href="${escapeHtml(link)}">Choose a new password</a> (the link works once, within the hour).</p>`,
        '<p>If it was not you, ignore this email: your password stays as it is.</p>',
      ].join('\n'),
    });
  });
  deps.mail.kick();
}

/** Sets the new password; returns the account's id (the caller signs this browser in). */
export async function confirmReset(deps: ResetDeps, token: string, password: string): Promise<number> {
  const hash = sha256(token);
  const now = deps.clock.now();
  const reset = await q.findReset(deps.db, hash);
  if (!reset || reset.used_at != null || reset.expires_at <= now)
    fail('INVALID_RESET_TOKEN', 'This reset link is invalid, used or expired; ask for a new one');
  const passwordHash = await hashPassword(password);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await q.consumeReset(trx, hash, now)))
      fail('INVALID_RESET_TOKEN', 'This reset link is invalid, used or expired; ask for a new one');
    await q.setPassword(trx, reset.user_id, passwordHash, now);
    await q.voidOtherResets(trx, reset.user_id, now);
    await q.endAllSessions(trx, reset.user_id);
  });
  return reset.user_id;
}
