import type { Db } from '../../db/index.ts';
import { iso, isoOrNull } from '../../platform/clock.ts';
import { registerExportSection } from '../../platform/data-rights.ts';

/**
 * Export sections for the modules that existed when privacy landed. Each is what the member
 * did or chose, never other members' content: a comment comes with its thread's id and its
 * community's slug, not the thread's text. Later modules register their own sections.
 */
const t = (ms: number | null | undefined) => isoOrNull(ms);

registerExportSection('profile', async (db: Db, userId) => {
  const u = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  const interests = await db
    .selectFrom('user_interests')
    .innerJoin('tags', 'tags.id', 'user_interests.tag_id')
    .select('tags.name')
    .where('user_interests.user_id', '=', userId)
    .execute();
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    displayName: u.display_name,
    bio: u.bio,
    avatarUrl: u.avatar_url,
    isAdmin: u.is_admin === 1,
    interests: interests.map((i) => i.name),
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
  };
});

registerExportSection('sessions', async (db, userId) => ({
  sessions: (
    await db
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'expires_at'])
      .where('user_id', '=', userId)
      .execute()
  ).map((s) => ({ createdAt: t(s.created_at), lastSeenAt: t(s.last_seen_at), expiresAt: t(s.expires_at) })),
  apiTokens: (
    await db
      .selectFrom('api_tokens')
      .select(['name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .execute()
  ).map((k) => ({
    name: k.name,
    createdAt: t(k.created_at),
    lastUsedAt: t(k.last_used_at),
    revokedAt: t(k.revoked_at),
  })),
}));

registerExportSection('memberships', async (db, userId) =>
  (
    await db
      .selectFrom('memberships')
      .innerJoin('communities', 'communities.id', 'memberships.community_id')
      .select([
        'communities.slug',
        'memberships.role',
        'memberships.status',
        'memberships.created_at',
        'memberships.joined_at',
        'memberships.guidelines_accepted_at',
      ])
      .where('memberships.user_id', '=', userId)
      .execute()
  ).map((m) => ({
    community: m.slug,
    role: m.role,
    status: m.status,
    createdAt: t(m.created_at),
    joinedAt: t(m.joined_at),
    guidelinesAcceptedAt: t(m.guidelines_accepted_at),
  })),
);

registerExportSection('threads', async (db, userId) =>
  (
    await db
      .selectFrom('threads')
      .innerJoin('communities', 'communities.id', 'threads.community_id')
      .select([
        'threads.id',
        'communities.slug',
        'threads.title',
        'threads.body',
        'threads.created_at',
        'threads.edited_at',
        'threads.deleted_at',
        'threads.status',
      ])
      .where('threads.author_id', '=', userId)
      .orderBy('threads.id')
      .execute()
  ).map((r) => ({
    id: r.id,
    community: r.slug,
    title: r.title,
    body: r.body,
    status: r.status,
    createdAt: t(r.created_at),
    editedAt: t(r.edited_at),
    deletedAt: t(r.deleted_at),
  })),
);

registerExportSection('comments', async (db, userId) =>
  (
    await db
      .selectFrom('comments')
      .innerJoin('communities', 'communities.id', 'comments.community_id')
      .select([
        'comments.id',
        'comments.thread_id',
        'comments.parent_id',
        'communities.slug',
        'comments.body',
        'comments.created_at',
        'comments.edited_at',
        'comments.deleted_at',
      ])
      .where('comments.author_id', '=', userId)
      .orderBy('comments.id')
      .execute()
  ).map((r) => ({
    id: r.id,
    threadId: r.thread_id,
    parentId: r.parent_id,
    community: r.slug,
    body: r.body,
    createdAt: t(r.created_at),
    editedAt: t(r.edited_at),
    deletedAt: t(r.deleted_at),
  })),
);

registerExportSection('revisions', async (db, userId) =>
  (
    await db
      .selectFrom('revisions')
      .select(['target_type', 'target_id', 'title', 'body', 'created_at'])
      .where('edited_by', '=', userId)
      .execute()
  ).map((r) => ({
    targetType: r.target_type,
    targetId: r.target_id,
    title: r.title,
    body: r.body,
    createdAt: t(r.created_at),
  })),
);

registerExportSection('reactions', async (db, userId) =>
  (
    await db
      .selectFrom('reactions')
      .select(['target_type', 'target_id', 'kind', 'created_at'])
      .where('user_id', '=', userId)
      .execute()
  ).map((r) => ({
    targetType: r.target_type,
    targetId: r.target_id,
    kind: r.kind,
    createdAt: t(r.created_at),
  })),
);

registerExportSection('follows', async (db, userId) => {
  const of = (table: 'follows' | 'mutes') =>
    db
      .selectFrom(table)
      .select(['target_type', 'target_id', 'created_at'])
      .where('user_id', '=', userId)
      .execute();
  const present = (rows: Awaited<ReturnType<typeof of>>) =>
    rows.map((r) => ({ targetType: r.target_type, targetId: r.target_id, createdAt: t(r.created_at) }));
  return { follows: present(await of('follows')), mutes: present(await of('mutes')) };
});

registerExportSection('points', async (db, userId) =>
  (
    await db
      .selectFrom('points_ledger')
      .innerJoin('communities', 'communities.id', 'points_ledger.community_id')
      .select([
        'communities.slug',
        'points_ledger.reason',
        'points_ledger.points',
        'points_ledger.created_at',
      ])
      .where('points_ledger.user_id', '=', userId)
      .orderBy('points_ledger.id')
      .execute()
  ).map((p) => ({ community: p.slug, reason: p.reason, points: p.points, createdAt: t(p.created_at) })),
);

registerExportSection('moderation', async (db, userId) => ({
  trustLevels: (
    await db
      .selectFrom('trust_levels')
      .innerJoin('communities', 'communities.id', 'trust_levels.community_id')
      .select(['communities.slug', 'trust_levels.level', 'trust_levels.stats'])
      .where('trust_levels.user_id', '=', userId)
      .execute()
  ).map((r) => ({ community: r.slug, level: r.level, stats: JSON.parse(r.stats || '{}') })),
  reportsFiled: (
    await db
      .selectFrom('reports')
      .select(['reason', 'note', 'status', 'created_at'])
      .where('reporter_id', '=', userId)
      .execute()
  ).map((r) => ({ reason: r.reason, note: r.note, status: r.status, createdAt: t(r.created_at) })),
  actionsAboutMe: (
    await db
      .selectFrom('mod_actions')
      .select(['kind', 'reason', 'created_at', 'expires_at', 'revoked_at'])
      .where('target_user_id', '=', userId)
      .execute()
  ).map((a) => ({
    kind: a.kind,
    reason: a.reason,
    createdAt: t(a.created_at),
    expiresAt: t(a.expires_at),
    revokedAt: t(a.revoked_at),
  })),
  appeals: (
    await db
      .selectFrom('appeals')
      .select(['body', 'status', 'decision_note', 'created_at', 'decided_at'])
      .where('user_id', '=', userId)
      .execute()
  ).map((a) => ({
    body: a.body,
    status: a.status,
    decisionNote: a.decision_note,
    createdAt: t(a.created_at),
    decidedAt: t(a.decided_at),
  })),
  contextNotes: (
    await db
      .selectFrom('context_notes')
      .select(['target_type', 'target_id', 'body', 'status', 'created_at'])
      .where('author_id', '=', userId)
      .execute()
  ).map((n) => ({
    targetType: n.target_type,
    targetId: n.target_id,
    body: n.body,
    status: n.status,
    createdAt: t(n.created_at),
  })),
  noteRatings: (
    await db
      .selectFrom('note_ratings')
      .select(['note_id', 'value', 'created_at'])
      .where('user_id', '=', userId)
      .execute()
  ).map((r) => ({ noteId: r.note_id, value: r.value, createdAt: t(r.created_at) })),
  readingForTrustLevels: (
    await db
      .selectFrom('thread_reads')
      .select(['thread_id', 'posts_read', 'ms', 'first_at', 'last_at'])
      .where('user_id', '=', userId)
      .execute()
  ).map((r) => ({
    threadId: r.thread_id,
    postsRead: r.posts_read,
    ms: r.ms,
    firstAt: t(r.first_at),
    lastAt: t(r.last_at),
  })),
}));

registerExportSection('consent', async (db, userId) => {
  const current = await db
    .selectFrom('analytics_consent')
    .select(['granted', 'updated_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const history = await db
    .selectFrom('consent_history')
    .select(['kind', 'granted', 'changed_at'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return {
    analytics: current
      ? { granted: current.granted === 1, updatedAt: t(current.updated_at) }
      : { granted: false, updatedAt: null },
    history: history.map((h) => ({ kind: h.kind, granted: h.granted === 1, changedAt: t(h.changed_at) })),
  };
});
