import type { Viewer } from '../../platform/auth.ts';
import { HOT_WINDOW_MS } from '../content/content.ranking.ts';
import * as q from './discover.queries.ts';
import { loadSocialGraph } from './social.queries.ts';
import type { FeedDeps } from './social.service.ts';

/**
 * Community recommendations (GET /discover/communities). Per public community the
 * viewer is not in and did not mute:
 *
 *   score = 3·min(5, F) + 2·T + log10(1 + N) + 0.5·log2(1 + S) + 4·S / (members + 10)
 *
 *   F = members the viewer follows who are active there
 *   T = the viewer's interests and followed tags that its threads carry; N = those threads
 *   S = co-members: people active in one of the viewer's communities who are active there
 *       too (sampled: the first 2,000 co-members), and S / (members + 10) their share of
 *       the community (smoothed by 10 members so a one-member community does not score a
 *       100 % share), which favours a niche where the viewer's people are many over a big
 *       community where they are lost in the crowd.
 *
 * The reason shown is the strongest signal. With no signal at all (a new member, or a
 * signed-out visitor) the busiest public communities of the month are suggested.
 */
export async function suggestCommunities(deps: FeedDeps, viewer: Viewer | null, limit: number) {
  const g = viewer ? await loadSocialGraph(deps.db, viewer.userId) : null;
  const candidates = await q
    .candidateCommunities(deps.db, viewer?.userId ?? null, g?.mutedCommunities ?? [])
    .execute();
  const tagIds = g ? [...new Set([...g.interests, ...g.followedTags])] : [];
  const tagNames = g?.tagNames ?? new Map<number, string>();
  const [followed, coMembers, tagged] = await Promise.all([
    q.followedMembersPer(deps.db, g?.followedUsers ?? []),
    viewer && g ? q.coMembersPer(deps.db, viewer.userId, g.memberOf) : new Map<number, number>(),
    q.taggedThreadsPer(deps.db, tagIds),
  ]);
  const scored = candidates.map((c) => {
    const f = followed.get(c.id) ?? 0;
    const s = coMembers.get(c.id) ?? 0;
    const tags = [...(tagged.get(c.id) ?? new Map<number, number>()).entries()];
    const n = tags.reduce((sum, [, count]) => sum + count, 0);
    const matchingTags = tags
      .map(([id]) => tagNames.get(id)!)
      .filter(Boolean)
      .sort();
    const score =
      3 * Math.min(5, f) +
      2 * matchingTags.length +
      Math.log10(1 + n) +
      0.5 * Math.log2(1 + s) +
      (4 * s) / (c.member_count + 10);
    return { c, f, s, matchingTags, score, interactions: Number(c.interactions) };
  });
  const personal = scored.filter((x) => x.score > 0).sort((a, b) => b.score - a.score || a.c.id - b.c.id);
  const popular = scored
    .filter((x) => x.score === 0)
    .sort(
      (a, b) => b.interactions - a.interactions || b.c.member_count - a.c.member_count || a.c.id - b.c.id,
    );
  return {
    items: [...personal, ...popular].slice(0, limit).map((x) => ({
      community: {
        id: x.c.id,
        slug: x.c.slug,
        name: x.c.name,
        description: x.c.description,
        memberCount: x.c.member_count,
      },
      reason: reasonFor(x),
      signals: { followedMembers: x.f, sharedMembers: x.s, matchingTags: x.matchingTags },
    })),
  };
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('#', String(n)));

function reasonFor(x: {
  f: number;
  s: number;
  matchingTags: string[];
  interactions: number;
  c: { member_count: number };
}) {
  if (x.f > 0) return plural(x.f, '1 member you follow is here', '# members you follow are here');
  if (x.matchingTags.length) {
    const shown = x.matchingTags.slice(0, 2).map((t) => `#${t}`);
    const more = x.matchingTags.length > 2 ? ` and ${x.matchingTags.length - 2} more` : '';
    return `Talks about ${shown.join(' and ')}${more}, ${x.matchingTags.length === 1 ? 'one of your interests' : 'your interests'}`;
  }
  if (x.s > 0)
    return plural(x.s, '1 member of your communities is here', '# members of your communities are here');
  if (x.interactions > 0)
    return plural(x.interactions, 'Active this month', 'Busy this month: # interactions');
  return plural(x.c.member_count, '1 member', '# members');
}

/** Trending tags of the week in public communities; the viewer's muted tags left out. */
export async function trendingTags(deps: FeedDeps, viewer: Viewer | null, limit: number) {
  const g = viewer ? await loadSocialGraph(deps.db, viewer.userId) : null;
  const rows = await q.trendingTags(deps.db, deps.clock.now() - HOT_WINDOW_MS, g?.mutedTags ?? [], limit);
  const followed = new Set(g?.followedTags ?? []);
  return {
    items: rows.map((r) => ({
      name: r.name,
      threads: Number(r.threads),
      score: Number(r.score),
      following: followed.has(r.id),
    })),
  };
}
