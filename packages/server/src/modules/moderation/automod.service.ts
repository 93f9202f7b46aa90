import type { Db } from '../../db/index.ts';
import type { Viewer } from '../../platform/auth.ts';
import { HOUR, iso, MINUTE } from '../../platform/clock.ts';
import { fail, invalid } from '../../platform/errors.ts';
import type { WriteAttempt, WriteGate } from '../../platform/write-gate.ts';
import { activeSanction } from './actions.queries.ts';
import * as aq from './automod.queries.ts';
import {
  compileWord,
  countImages,
  countLinks,
  countMentions,
  fingerprint,
  matchWords,
  normalizeForDuplicates,
  type WordAction,
} from './automod.ts';
import { loadModeratedCommunity, type ModerationDeps } from './context.ts';
import { reacceptRequired } from './guidelines.service.ts';
import { AUTOMOD_WEIGHT, addReport } from './reports.service.ts';
import { loadSettings } from './settings.ts';
import { spamScore } from './spam.ts';
import { levelOf } from './trust.queries.ts';

const isCreate = (a: WriteAttempt) => a.kind === 'thread' || a.kind === 'comment';
const textOf = (a: WriteAttempt) => [a.title, a.body].filter(Boolean).join('\n');
const until = (ms: number | null) => (ms == null ? 'permanently' : `until ${iso(ms)}`);

/** Mutes and bans in this community, and site-wide suspensions, stop every write (reactions too). */
export async function assertNotSanctioned(db: Db, communityId: number, userId: number, now: number) {
  const s = await activeSanction(db, communityId, userId, now);
  if (!s) return;
  if (s.kind === 'suspend') fail('SUSPENDED', `Your account is suspended ${until(s.expires_at)}`);
  if (s.kind === 'ban') fail('BANNED', `You are banned from this community ${until(s.expires_at)}`);
  fail('MUTED', `You are muted in this community ${until(s.expires_at)}`);
}

/**
 * The moderation gate (platform/write-gate.ts), in order: sanctions; re-acceptance of changed
 * guidelines; flood (posts per minute); new-member limits (posts per hour, links, images,
 * mentions); duplicates (same text here within the window: refused; in two other communities:
 * held); watched words (block, require approval, flag, censor); the spam score (held for
 * low-trust members, flagged otherwise). Moderators skip everything but sanctions.
 * `automod: false` (HEARTH_AUTOMOD=false) turns off the heuristics: flood, new-member limits,
 * duplicates and the spam score; sanctions, guidelines and watched words always apply.
 */
export const moderationGate = (opts: { automod: boolean }): WriteGate => ({
  async screen(db, a, now) {
    await assertNotSanctioned(db, a.communityId, a.userId, now);
    if (a.kind === 'reaction' || a.isModerator) return undefined;
    const create = isCreate(a);
    if (create) {
      const g = await reacceptRequired(db, a.communityId, a.userId);
      if (g.required) {
        fail(
          'GUIDELINES_REACCEPT_REQUIRED',
          `The community guidelines changed (version ${g.version}); read and accept them to post`,
        );
      }
    }
    const settings = await loadSettings(db, a.communityId);
    const level = await levelOf(db, a.communityId, a.userId);
    if (a.wikiEdit && level < settings.unlocks.editWikiPosts) {
      fail(
        'TRUST_LEVEL_TOO_LOW',
        `Editing wiki threads unlocks at trust level ${settings.unlocks.editWikiPosts} here`,
      );
    }
    const newMember = level < settings.unlocks.newMemberBelow;
    const text = textOf(a);
    const reasons: string[] = [];
    const flags = new Set<string>();
    let hold = false;

    if (create && opts.automod) {
      const windowMs = Math.max(settings.automod.duplicateWindowHours * HOUR, HOUR);
      const recent = await aq.recentPosts(db, a.userId, now - windowMs);
      const here = recent.filter((r) => r.community_id === a.communityId);
      const lastMinute = here.filter((r) => r.created_at > now - MINUTE);
      if (lastMinute.length >= settings.automod.floodPerMinute) {
        fail('RATE_LIMITED', 'You are posting too fast; wait a minute', { retryAfterSeconds: 60 });
      }
      const lastHour = here.filter((r) => r.created_at > now - HOUR);
      const perHour = settings.unlocks.postsPerHourNewMember;
      if (newMember && lastHour.length >= perHour) {
        const oldest = lastHour[lastHour.length - 1]!.created_at;
        fail('RATE_LIMITED', `New members can post ${perHour} times an hour here`, {
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + HOUR - now) / 1000)),
        });
      }
      // The body alone: a spammer varying the title still posts the same text.
      const normalized = normalizeForDuplicates(a.body ?? '');
      if (normalized.length >= 20) {
        const hash = fingerprint(normalized);
        const since = now - settings.automod.duplicateWindowHours * HOUR;
        const same = recent.filter((r) => r.hash === hash && r.created_at > since);
        if (same.some((r) => r.community_id === a.communityId)) {
          fail('DUPLICATE_POST', 'You posted the same text here recently');
        }
        if (new Set(same.map((r) => r.community_id)).size >= 2) {
          hold = true;
          reasons.push('cross_posting');
        }
      }
    }

    if (newMember && opts.automod) {
      const u = settings.unlocks;
      const limits = [
        [countLinks(text), u.maxLinksNewMember, 'links'],
        [countImages(text), u.maxImagesNewMember, 'images'],
        [countMentions(text), u.maxMentionsNewMember, 'mentions'],
      ] as const;
      for (const [found, max, what] of limits) {
        if (found > max) {
          fail(
            'TRUST_LEVEL_TOO_LOW',
            `New members can put at most ${max} ${what} in a post (this one has ${found})`,
          );
        }
      }
    }

    let { title, body } = a;
    const words = (await aq.listWords(db, a.communityId)).map(aq.toWord);
    if (words.length) {
      const m = matchWords(text, words);
      if (m.block) fail('CONTENT_BLOCKED', 'This post contains wording this community does not allow');
      if (m.requireApproval.length) {
        if (create) {
          hold = true;
          reasons.push('watched_word');
        } else flags.add('watched_word');
      }
      if (m.flag.length) flags.add('watched_word');
      title = title === undefined ? title : m.censor(title);
      body = body === undefined ? body : m.censor(body);
    }

    const score = opts.automod ? spamScore(text) : 0;
    if (
      create &&
      score >= settings.automod.spamHoldThreshold &&
      level < settings.automod.holdSpamBelowTrust
    ) {
      hold = true;
      reasons.push('spam');
    } else if (opts.automod && score >= settings.automod.spamFlagThreshold) flags.add('spam');

    return {
      ...(title !== a.title && { title }),
      ...(body !== a.body && { body }),
      hold,
      reasons,
      flags: [...flags].filter((f) => !reasons.includes(f)),
    };
  },

  async record(trx, deps, a, verdict, target) {
    const now = deps.clock.now();
    if (isCreate(a)) {
      await aq.insertFingerprint(trx, {
        communityId: a.communityId,
        userId: a.userId,
        type: target.type,
        id: target.id,
        hash: fingerprint(normalizeForDuplicates(a.body ?? '')),
        now,
      });
    }
    const why = [...verdict.reasons, ...verdict.flags];
    let itemId: number | null = null;
    for (const reason of why) {
      const { item } = await addReport(
        trx,
        deps.events,
        {
          type: target.type,
          id: target.id,
          communityId: a.communityId,
          scopeId: a.communityId,
          targetUserId: a.userId,
          reporterId: null,
          reason,
          ruleNumber: null,
          guidelineVersion: null,
          note: verdict.hold && verdict.reasons.includes(reason) ? 'held for approval' : 'flagged',
          weight: AUTOMOD_WEIGHT,
          held: verdict.hold,
        },
        now,
      );
      itemId = item.id;
    }
    if (verdict.hold && itemId != null) {
      await deps.events.emit(trx, 'moderation.content_held', {
        itemId,
        communityId: a.communityId,
        targetType: target.type,
        targetId: target.id,
        authorId: a.userId,
        reasons: verdict.reasons,
      });
    }
  },
});

// --- watched words (moderators) ---

const presentWord = (w: ReturnType<typeof aq.toWord>) => ({
  id: w.id,
  pattern: w.pattern,
  regex: w.regex,
  wholeWord: w.wholeWord,
  action: w.action,
  replacement: w.replacement,
});

export async function listWatchedWords(deps: ModerationDeps, slug: string, viewer: Viewer) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  return { items: (await aq.listWords(deps.db, community.id)).map((r) => presentWord(aq.toWord(r))) };
}

export async function addWatchedWord(
  deps: ModerationDeps,
  slug: string,
  viewer: Viewer,
  body: { pattern: string; regex?: boolean; wholeWord?: boolean; action: WordAction; replacement?: string },
) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  const word = {
    pattern: body.pattern.trim(),
    regex: body.regex ?? false,
    wholeWord: body.wholeWord ?? !body.regex,
  };
  if (!word.pattern) invalid('pattern', 'must not be empty');
  try {
    compileWord(word);
  } catch (err) {
    invalid('pattern', (err as Error).message);
  }
  const row = await aq.insertWord(deps.db, {
    community_id: community.id,
    pattern: word.pattern,
    regex: word.regex ? 1 : 0,
    whole_word: word.wholeWord ? 1 : 0,
    action: body.action,
    replacement: body.action === 'censor' ? (body.replacement ?? null) : null,
    created_by: viewer.userId,
    created_at: deps.clock.now(),
  });
  return presentWord(aq.toWord(row));
}

export async function removeWatchedWord(deps: ModerationDeps, slug: string, viewer: Viewer, id: number) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  if (!(await aq.deleteWord(deps.db, community.id, id)))
    fail('WATCHED_WORD_NOT_FOUND', `No watched word ${id}`);
}

/** Moderators try text against the community's automatic moderation without posting it. */
export async function testText(deps: ModerationDeps, slug: string, viewer: Viewer, text: string) {
  const { community } = await loadModeratedCommunity(deps.db, slug, viewer);
  const words = (await aq.listWords(deps.db, community.id)).map(aq.toWord);
  const m = matchWords(text, words);
  return {
    blockedBy: m.block ? presentWord(m.block) : null,
    requireApproval: m.requireApproval.map(presentWord),
    flag: m.flag.map(presentWord),
    censored: m.censor(text),
    spamScore: Math.round(spamScore(text) * 1000) / 1000,
    links: countLinks(text),
    images: countImages(text),
    mentions: countMentions(text),
  };
}
