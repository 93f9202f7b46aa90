import type { Db } from '../../db/index.ts';
import { randomToken, type Viewer } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import { type Events, inTransaction } from '../../platform/events.ts';
import { assertBrandManager, loadBrand } from './access.ts';
import * as q from './partnerships.queries.ts';
import type { CreateBrandBody, UpdateBrandBody } from './partnerships.schema.ts';
import { presentBrand, userRef } from './present.ts';

export interface PartnershipDeps {
  db: Db;
  events: Events;
  clock: Clock;
  publicUrl: string;
}

/** A conversion secret: 32 random bytes, prefixed so it is recognisable in a shop's settings. */
const newSecret = () => `whsec_${randomToken(32)}`;

/**
 * http(s) only, no credentials in the URL: anything stored here may become a redirect
 * target (tracked links) or a link on a page, so it is checked once, when it is written.
 */
export function checkHttpUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(field, 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(field, 'must be an http or https URL');
  if (url.username || url.password) invalid(field, 'must not contain credentials');
  if (!url.hostname) invalid(field, 'must have a host');
  return url.toString();
}

export async function createBrand(deps: PartnershipDeps, viewer: Viewer, body: CreateBrandBody) {
  const slug = body.slug.toLowerCase();
  if (await q.findBrandBySlug(deps.db, slug)) fail('SLUG_TAKEN', `The brand address "${slug}" is taken`);
  const website = body.websiteUrl ? checkHttpUrl('websiteUrl', body.websiteUrl) : null;
  const now = deps.clock.now();
  const secret = newSecret();
  const brand = await inTransaction(deps, async (trx) => {
    const b = await trx
      .insertInto('brands')
      .values({
        slug,
        name: body.name.trim(),
        description: body.description ?? '',
        website_url: website,
        currency: body.currency ?? 'EUR',
        conversion_secret: secret,
        created_by: viewer.userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('brand_members')
      .values({ brand_id: b.id, user_id: viewer.userId, role: 'owner', created_at: now })
      .execute();
    await q.audit(trx, {
      brandId: b.id,
      campaignId: null,
      actorId: viewer.userId,
      action: 'brand_created',
      now,
    });
    return b;
  });
  return { ...presentBrand(brand, 'owner'), conversionSecret: secret };
}

export async function listBrands(deps: PartnershipDeps, viewer: Viewer) {
  // Site admins see every brand; everyone else the brands they belong to.
  const rows = await q.listMyBrands(deps.db, viewer.isAdmin ? null : viewer.userId);
  return { items: rows.map((b) => presentBrand(b, b.my_role)) };
}

export async function getBrand(deps: PartnershipDeps, slug: string, viewer: Viewer | null) {
  const a = await loadBrand(deps.db, slug, viewer);
  return presentBrand(a.brand, a.role);
}

export async function updateBrand(
  deps: PartnershipDeps,
  slug: string,
  viewer: Viewer,
  body: UpdateBrandBody,
) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  const website =
    body.websiteUrl === undefined
      ? a.brand.website_url
      : body.websiteUrl && checkHttpUrl('websiteUrl', body.websiteUrl);
  const now = deps.clock.now();
  await deps.db
    .updateTable('brands')
    .set({
      name: body.name?.trim() ?? a.brand.name,
      description: body.description ?? a.brand.description,
      website_url: website ?? null,
      updated_at: now,
    })
    .where('id', '=', a.brand.id)
    .execute();
  return getBrand(deps, slug, viewer);
}

/** A new conversion secret (the old one stops working at once); shown only in this answer. */
export async function rotateSecret(deps: PartnershipDeps, slug: string, viewer: Viewer) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  const secret = newSecret();
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .updateTable('brands')
      .set({ conversion_secret: secret, updated_at: now })
      .where('id', '=', a.brand.id)
      .execute();
    await q.audit(trx, {
      brandId: a.brand.id,
      campaignId: null,
      actorId: viewer.userId,
      action: 'secret_rotated',
      now,
    });
  });
  return { ...presentBrand(a.brand, a.role), conversionSecret: secret };
}

export async function listMembers(deps: PartnershipDeps, slug: string, viewer: Viewer) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  const rows = await q.listBrandMembers(deps.db, a.brand.id);
  return {
    items: rows.map((r) => ({
      user: userRef(r),
      role: r.role,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/** Brand owners add managers (or co-owners). */
export async function addMember(
  deps: PartnershipDeps,
  slug: string,
  viewer: Viewer,
  body: { username: string; role?: 'owner' | 'manager' },
) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  if (!a.isOwner) fail('FORBIDDEN', `Only owners of ${a.brand.name} add or remove managers`);
  const user = await q.findUserByUsername(deps.db, body.username);
  if (!user) fail('USER_NOT_FOUND', `No user "${body.username}"`);
  const role = body.role ?? 'manager';
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .insertInto('brand_members')
      .values({ brand_id: a.brand.id, user_id: user.id, role, created_at: now })
      .onConflict((oc) => oc.columns(['brand_id', 'user_id']).doUpdateSet({ role }))
      .execute();
    await q.audit(trx, {
      brandId: a.brand.id,
      campaignId: null,
      actorId: viewer.userId,
      action: 'member_added',
      detail: { userId: user.id, role },
      now,
    });
  });
  return listMembers(deps, slug, viewer);
}

export async function removeMember(deps: PartnershipDeps, slug: string, username: string, viewer: Viewer) {
  const a = await loadBrand(deps.db, slug, viewer);
  assertBrandManager(a);
  const user = await q.findUserByUsername(deps.db, username);
  if (!user) fail('USER_NOT_FOUND', `No user "${username}"`);
  // A manager may leave; removing someone else is for owners.
  if (user.id !== viewer.userId && !a.isOwner)
    fail('FORBIDDEN', `Only owners of ${a.brand.name} remove managers`);
  const members = await q.listBrandMembers(deps.db, a.brand.id);
  const target = members.find((m) => m.id === user.id);
  if (!target) fail('USER_NOT_FOUND', `@${username} is not a member of ${a.brand.name}`);
  if (target.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1)
    fail('OWNER_CANNOT_LEAVE', 'A brand keeps at least one owner');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .deleteFrom('brand_members')
      .where('brand_id', '=', a.brand.id)
      .where('user_id', '=', user.id)
      .execute();
    await q.audit(trx, {
      brandId: a.brand.id,
      campaignId: null,
      actorId: viewer.userId,
      action: 'member_removed',
      detail: { userId: user.id },
      now,
    });
  });
  return { ok: true };
}
