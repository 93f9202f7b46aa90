import { createHmac, timingSafeEqual } from 'node:crypto';
import { MINUTE } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/events.ts';
import type { PartnershipDeps } from './brands.service.ts';
import { parseDate } from './campaigns.service.ts';
import * as q from './partnerships.queries.ts';
import type { ConversionBody } from './partnerships.schema.ts';

/**
 * The conversion endpoint, called server to server by a brand's shop. Every message is signed
 * with the brand's secret, in the scheme Stripe's webhooks use:
 *
 *   X-Hearth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The signed timestamp bounds replays in time (TOLERANCE), the message `id` stops replays
 * within it (each id is accepted once per brand), and `orderId` makes the endpoint idempotent
 * (a retried order is answered with the conversion already recorded, never counted twice).
 */
export const SIGNATURE_HEADER = 'x-hearth-signature';
export const TOLERANCE_MS = 5 * MINUTE;

/** The header value for a body (what a shop computes; the tests use it too). */
export function signBody(secret: string, rawBody: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function verifySignature(
  header: string | undefined,
  secret: string,
  rawBody: string,
  now: number,
): 'ok' | 'invalid' | 'stale' {
  if (!header) return 'invalid';
  const parts = Object.fromEntries(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  const sent = parts.v1 ?? '';
  if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(sent)) return 'invalid';
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(sent, 'hex'))) return 'invalid';
  return Math.abs(now - t * 1000) > TOLERANCE_MS ? 'stale' : 'ok';
}

export async function recordConversion(
  deps: PartnershipDeps,
  rawBody: string,
  body: ConversionBody,
  signature: string | undefined,
) {
  const now = deps.clock.now();
  const brand = await q.findBrandBySlug(deps.db, body.brand);
  // An unknown brand answers like a wrong signature: the endpoint tells nothing to the unsigned.
  const verdict = brand ? verifySignature(signature, brand.conversion_secret, rawBody, now) : 'invalid';
  if (verdict === 'invalid' || !brand)
    fail('SIGNATURE_INVALID', `Missing or wrong ${SIGNATURE_HEADER} header`);
  if (verdict === 'stale')
    fail('SIGNATURE_STALE', 'The signed timestamp is more than 5 minutes away from now');
  if (body.currency !== brand.currency)
    invalid('currency', `must be the brand's currency, ${brand.currency}`);
  const occurredAt = body.occurredAt ? parseDate(body.occurredAt, 'occurredAt', false) : now;
  if (occurredAt > now + TOLERANCE_MS) invalid('occurredAt', 'is in the future');

  const result = await inTransaction(deps, async (trx) => {
    const nonce = await trx
      .insertInto('conversion_nonces')
      .values({ brand_id: brand.id, event_id: body.id, received_at: now })
      .onConflict((oc) => oc.columns(['brand_id', 'event_id']).doNothing())
      .executeTakeFirst();
    if (Number(nonce.numInsertedOrUpdatedRows ?? 0) !== 1) return { replayed: true as const };
    const existing = await trx
      .selectFrom('conversions')
      .select('id')
      .where('brand_id', '=', brand.id)
      .where('order_id', '=', body.orderId)
      .executeTakeFirst();
    if (existing) {
      const n = await trx
        .selectFrom('conversion_touches')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('conversion_id', '=', existing.id)
        .executeTakeFirst();
      return { id: existing.id, duplicate: true, touches: Number(n?.n ?? 0) };
    }
    const refs = [...new Set(body.clickRefs ?? [])];
    const clicks = refs.length
      ? await trx
          .selectFrom('link_clicks')
          .innerJoin('campaigns', 'campaigns.id', 'link_clicks.campaign_id')
          .select(['link_clicks.campaign_id', 'link_clicks.creator_id', 'link_clicks.created_at'])
          .where('link_clicks.ref', 'in', refs)
          .where('campaigns.brand_id', '=', brand.id)
          .execute()
      : [];
    const promo = body.promoCode
      ? await trx
          .selectFrom('promo_codes')
          .select(['campaign_id', 'creator_id'])
          .where('brand_id', '=', brand.id)
          .where('code', '=', body.promoCode.toUpperCase())
          .executeTakeFirst()
      : undefined;
    const touches = [
      ...clicks.map((c) => ({
        campaign_id: c.campaign_id,
        creator_id: c.creator_id,
        kind: 'click' as const,
        touched_at: c.created_at,
      })),
      // A promo code is redeemed at checkout: its touch is the conversion itself.
      ...(promo
        ? [
            {
              campaign_id: promo.campaign_id,
              creator_id: promo.creator_id,
              kind: 'promo' as const,
              touched_at: occurredAt,
            },
          ]
        : []),
    ];
    const c = await trx
      .insertInto('conversions')
      .values({
        brand_id: brand.id,
        order_id: body.orderId,
        amount_cents: body.amountCents,
        occurred_at: occurredAt,
        received_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (touches.length)
      await trx
        .insertInto('conversion_touches')
        .values(touches.map((t) => ({ ...t, conversion_id: c.id })))
        .execute();
    await deps.events.emit(trx, 'partnerships.conversion_recorded', {
      conversionId: c.id,
      brandId: brand.id,
      amountCents: body.amountCents,
      touches: touches.length,
    });
    return { id: c.id, duplicate: false, touches: touches.length };
  });
  if ('replayed' in result) fail('CONVERSION_REPLAYED', `Message ${body.id} was already received`);
  return { ...result, orderId: body.orderId };
}
