import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import type { Events } from '../../platform/events.ts';
import { assertMember, communityAccess } from '../../platform/permissions.ts';

/** What gamification's services use (DESIGN rule 3). */
export interface GamificationDeps {
  db: Db;
  events: Events;
  clock: Clock;
}

const findCommunity = (db: Db, slug: string) =>
  db
    .selectFrom('communities')
    .select(['id', 'slug', 'name', 'visibility'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();

/** A community the viewer may read; otherwise the same 404 as for one that does not exist. */
export async function loadReadable(db: Db, slug: string, viewer: Viewer | null) {
  const community = await findCommunity(db, slug);
  if (!community) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  const access = await communityAccess(db, community, viewer);
  if (!access.canRead) fail('COMMUNITY_NOT_FOUND', `No community "${slug}"`);
  return { community, access };
}

/** Active members (and moderators, site admins). */
export async function loadAsMember(db: Db, slug: string, viewer: Viewer) {
  const loaded = await loadReadable(db, slug, viewer);
  assertMember(loaded.access);
  return loaded;
}

/** Moderators and owners of the community (and site admins). */
export async function loadModerated(db: Db, slug: string, viewer: Viewer) {
  const loaded = await loadReadable(db, slug, viewer);
  if (!loaded.access.isModerator) fail('FORBIDDEN', 'Only moderators of this community can do this');
  return loaded;
}
