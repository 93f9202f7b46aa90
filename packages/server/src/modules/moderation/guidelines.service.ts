import type { Transaction } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../platform/auth.ts';
import { iso } from '../../platform/clock.ts';
import { fail } from '../../platform/errors.ts';
import { assertMember } from '../../platform/permissions.ts';
import { loadCommunity, type ModerationDeps } from './context.ts';
import * as q from './guidelines.queries.ts';

/**
 * Guidelines are versioned per community. The text itself stays in `communities.guidelines`
 * (edited through PATCH /communities/{slug}); every distinct text gets a version here, made
 * by the communities.updated handler or, if that has not run yet, the first time anyone asks.
 * Numbered list items ("1. Be kind") are the rules that reports and actions cite.
 *
 * Re-acceptance (decision): once the text changes, a member cannot start threads or comment
 * until they accept the new version (403 GUIDELINES_REACCEPT_REQUIRED); reading, reacting,
 * reporting and appealing stay open. Moderators and owners are not blocked. A member who
 * joined after the change accepted the new text when joining.
 */
type Q = Db | Transaction<DB>;

export interface Rule {
  number: number;
  text: string;
}

/** Top-level numbered list items of the guidelines' markdown. */
export function parseRules(body: string): Rule[] {
  const rules: Rule[] = [];
  const seen = new Set<number>();
  for (const line of body.split('\n')) {
    const m = /^ {0,3}(\d{1,3})[.)]\s+(.+)$/.exec(line);
    if (!m) continue;
    const number = Number(m[1]);
    if (seen.has(number)) continue;
    seen.add(number);
    rules.push({ number, text: m[2]!.trim().slice(0, 300) });
  }
  return rules;
}

/**
 * Makes sure the community's current text has a version; returns the current version.
 * The first version dates from the community's creation: everyone who joined accepted it.
 */
export async function syncGuidelines(db: Q, communityId: number, at: number | null, by: number | null) {
  const community = await q.findCommunityText(db, communityId);
  if (!community) return undefined;
  const latest = await q.latestVersion(db, communityId);
  if (latest && latest.body === community.guidelines) return latest;
  await q.insertVersion(db, {
    communityId,
    version: (latest?.version ?? 0) + 1,
    body: community.guidelines,
    rules: JSON.stringify(parseRules(community.guidelines)),
    by,
    at: latest ? (at ?? community.updated_at) : community.created_at,
  });
  return q.latestVersion(db, communityId);
}

/** The version a member has accepted: an explicit acceptance, or the one in force when they joined. */
export async function acceptedVersion(db: Q, communityId: number, userId: number): Promise<number> {
  const explicit = await q.findAcceptance(db, communityId, userId);
  const membership = await q.joinAcceptance(db, communityId, userId);
  let atJoin = 0;
  if (membership?.guidelines_accepted_at != null) {
    atJoin = (await q.versionAt(db, communityId, membership.guidelines_accepted_at))?.version ?? 0;
  }
  return Math.max(explicit?.version ?? 0, atJoin);
}

/** Whether the member still has to accept the current guidelines (empty guidelines never need it). */
export async function reacceptRequired(db: Q, communityId: number, userId: number) {
  const current = await syncGuidelines(db, communityId, null, null);
  if (!current || !current.body.trim()) return { required: false, version: current?.version ?? 0 };
  const accepted = await acceptedVersion(db, communityId, userId);
  return { required: accepted < current.version, version: current.version, accepted };
}

const present = (v: q.VersionRow) => ({
  version: v.version,
  body: v.body,
  rules: JSON.parse(v.rules) as Rule[],
  createdAt: iso(v.created_at),
});

export async function getGuidelines(deps: ModerationDeps, slug: string, viewer: Viewer | null) {
  const { community, access } = await loadCommunity(deps.db, slug, viewer, 'see');
  const current = await syncGuidelines(deps.db, community.id, null, null);
  let me = null;
  if (viewer && access.isMember) {
    const r = await reacceptRequired(deps.db, community.id, viewer.userId);
    me = { acceptedVersion: r.accepted ?? r.version, reacceptRequired: r.required };
  }
  return { ...present(current!), me };
}

export async function listVersions(deps: ModerationDeps, slug: string, viewer: Viewer | null) {
  const { community } = await loadCommunity(deps.db, slug, viewer, 'see');
  await syncGuidelines(deps.db, community.id, null, null);
  return { items: (await q.listVersions(deps.db, community.id)).map(present) };
}

/** Accepts the current version; `version` guards against accepting a text the member did not see. */
export async function accept(deps: ModerationDeps, slug: string, viewer: Viewer, version: number) {
  const { community, access } = await loadCommunity(deps.db, slug, viewer, 'see');
  assertMember(access);
  const current = await syncGuidelines(deps.db, community.id, null, null);
  if (!current || current.version !== version) {
    fail('VALIDATION_FAILED', `version: the current guidelines are version ${current?.version ?? 0}`, {
      field: 'version',
    });
  }
  const now = deps.clock.now();
  await q.upsertAcceptance(deps.db, community.id, viewer.userId, version, now);
  return { acceptedVersion: version, reacceptRequired: false };
}

/** A rule of the current guidelines, for reports and actions that cite one. */
export async function citeRule(db: Q, communityId: number, ruleNumber: number | undefined | null) {
  if (ruleNumber == null) return { ruleNumber: null, guidelineVersion: null };
  const current = await syncGuidelines(db, communityId, null, null);
  const rules = current ? (JSON.parse(current.rules) as Rule[]) : [];
  if (!rules.some((r) => r.number === ruleNumber)) {
    fail('VALIDATION_FAILED', `ruleNumber: the guidelines have no rule ${ruleNumber}`, {
      field: 'ruleNumber',
    });
  }
  return { ruleNumber, guidelineVersion: current!.version };
}

/** Rule texts of every version, keyed `version:number` (for presenting reports and the log). */
export async function ruleTexts(db: Q, communityId: number): Promise<Map<string, string>> {
  const rows = await q.listVersions(db, communityId);
  const map = new Map<string, string>();
  for (const r of rows)
    for (const rule of JSON.parse(r.rules) as Rule[]) map.set(`${r.version}:${rule.number}`, rule.text);
  return map;
}
