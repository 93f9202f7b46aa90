import type { Db } from '../../db/index.ts';
import { randomToken, sha256 } from '../../platform/auth.ts';
import { DAY } from '../../platform/clock.ts';
import type { HandlerContext } from '../../platform/events.ts';
import { escapeHtml, type MailMessage } from '../../platform/mail.ts';
import { presentNotification } from './notifications.present.ts';
import * as q from './notifications.queries.ts';
import type { Notification } from './notifications.schema.ts';
import type { NotificationDeps } from './notifications.service.ts';
import { NOTIFICATION_TYPES, type NotificationType } from './notifications.types.ts';

type Q = Db | HandlerContext['db'];

/**
 * Notification emails: plain text and HTML, each with a one-click unsubscribe link for its
 * type (List-Unsubscribe + List-Unsubscribe-Post, RFC 8058, so mail clients offer it too, and
 * a link in the body to a page that asks for one click).
 */
async function unsubscribeLinks(
  deps: Pick<NotificationDeps, 'clock' | 'publicUrl'>,
  db: Q,
  userId: number,
  type: string,
) {
  const token = randomToken(24);
  await q.insertUnsubscribeToken(db, sha256(token), userId, type, deps.clock.now());
  const base = deps.publicUrl.replace(/\/$/, '');
  return {
    page: `${base}/unsubscribe?token=${token}`,
    oneClick: `${base}/api/v1/notifications/unsubscribe?token=${token}`,
  };
}

function layout(title: string, paragraphs: string[], footer: string): string {
  return [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d1d1f;max-width:36rem">',
    `<h1 style="font-size:1.2rem">${escapeHtml(title)}</h1>`,
    ...paragraphs,
    `<p style="color:#555;font-size:.85rem;border-top:1px solid #ddd;padding-top:.5rem">${footer}</p>`,
    '</body></html>',
  ].join('\n');
}

export async function immediateEmail(
  deps: Pick<NotificationDeps, 'clock' | 'publicUrl'>,
  db: Q,
  user: { id: number; email: string; display_name: string },
  type: NotificationType,
  n: Notification,
): Promise<MailMessage> {
  const base = deps.publicUrl.replace(/\/$/, '');
  const link = `${base}${n.url}`;
  const links = await unsubscribeLinks(deps, db, user.id, type);
  const label = NOTIFICATION_TYPES[type].label.toLowerCase();
  const text = [
    `Hi ${user.display_name},`,
    '',
    n.text,
    ...(n.excerpt ? ['', `> ${n.excerpt}`] : []),
    '',
    `Open it: ${link}`,
    '',
    '--',
    `You get these emails for ${label} while you are away.`,
    `Stop them with one click: ${links.page}`,
  ].join('\n');
  const html = layout(
    n.text,
    [
      `<p>Hi ${escapeHtml(user.display_name)},</p>`,
      `<p>${escapeHtml(n.text)}</p>`,
      ...(n.excerpt ? [`<blockquote style="color:#444">${escapeHtml(n.excerpt)}</blockquote>`] : []),
      `<p><a href="${escapeHtml(link)}">Open it on Hearth</a></p>`,
    ],
    `You get these emails for ${escapeHtml(label)} while you are away. <a href="${escapeHtml(links.page)}">Unsubscribe</a>`,
  );
  return {
    to: user.email,
    userId: user.id,
    kind: type,
    subject: n.text.length > 120 ? `${n.text.slice(0, 119)}…` : n.text,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${links.oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

const DIGEST_ITEMS = 50;

/**
 * Digests: for each member whose daily or weekly period is over, one email listing what they
 * have not read since the last digest (and were not already emailed about), read now under the
 * inbox's visibility filter. Nothing new: no email, the period simply starts again.
 */
export async function sendDueDigests(deps: NotificationDeps): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const due of await q.dueDigests(deps.db, now, DAY, 200)) {
    const didSend = await deps.db.transaction().execute(async (trx) => {
      const since = due.last_digest_at ?? 0;
      const rows = await q.listNotifications(trx, due.user_id, {
        after: null,
        limit: DIGEST_ITEMS,
        unread: true,
        since,
      });
      await q.setLastDigest(trx, due.user_id, now);
      const items = rows.slice(0, DIGEST_ITEMS).map(presentNotification);
      const user = await q.findUser(trx, due.user_id);
      if (items.length === 0 || !user) return false;
      const base = deps.publicUrl.replace(/\/$/, '');
      const links = await unsubscribeLinks(deps, trx, user.id, 'digest');
      const period = due.digest === 'weekly' ? 'week' : 'day';
      const title = `Your ${due.digest} Hearth digest: ${items.length} thing${items.length > 1 ? 's' : ''} you missed`;
      const text = [
        `Hi ${user.display_name},`,
        '',
        `Here is what happened this ${period} while you were away:`,
        '',
        ...items.map((n) => `- ${n.text}\n  ${base}${n.url}`),
        '',
        `All notifications: ${base}/notifications`,
        '',
        '--',
        `You chose a ${due.digest} digest. Stop digests with one click: ${links.page}`,
      ].join('\n');
      const html = layout(
        title,
        [
          `<p>Hi ${escapeHtml(user.display_name)}, here is what happened this ${period} while you were away:</p>`,
          `<ul>${items.map((n) => `<li><a href="${escapeHtml(base + n.url)}">${escapeHtml(n.text)}</a></li>`).join('')}</ul>`,
          `<p><a href="${escapeHtml(`${base}/notifications`)}">All notifications</a></p>`,
        ],
        `You chose a ${escapeHtml(due.digest)} digest. <a href="${escapeHtml(links.page)}">Unsubscribe from digests</a>`,
      );
      await deps.mail.enqueue(trx, {
        to: user.email,
        userId: user.id,
        kind: 'digest',
        subject: title,
        text,
        html,
        headers: {
          'List-Unsubscribe': `<${links.oneClick}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      await q.markEmailed(
        trx,
        items.map((n) => n.id),
        now,
      );
      return true;
    });
    if (didSend) sent++;
  }
  if (sent) deps.mail.kick();
  return sent;
}
