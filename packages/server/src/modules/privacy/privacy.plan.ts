import { type ExpressionBuilder, sql, type Transaction } from 'kysely';
import { dialectOf, ilike } from '../../db/dialect.ts';
import type { DB } from '../../db/schema.ts';
import {
  declareUserColumns,
  type ErasureContext,
  namesOf,
  registerErasureStep,
} from '../../platform/data-rights.ts';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The erasure plan for the tables that existed when the privacy module landed (migrations
 * 0001–0006): every column holding a user id, and the steps a plain delete/null cannot do.
 * Tables added later declare their own columns from their module (see data-rights.ts);
 * `test/erasure.test.ts` fails for any user column nobody declared.
 */
declareUserColumns([
  // accounts
  { table: 'users', column: 'id', action: 'step', note: 'deleted last, after everything that refers to it' },
  { table: 'user_interests', column: 'user_id', action: 'delete' },
  { table: 'sessions', column: 'user_id', action: 'delete' },
  { table: 'api_tokens', column: 'user_id', action: 'delete' },
  // communities
  {
    table: 'communities',
    column: 'created_by',
    action: 'tombstone',
    note: 'creator of a community others use',
  },
  { table: 'memberships', column: 'user_id', action: 'step', note: 'member counts follow' },
  { table: 'memberships', column: 'invited_by', action: 'null' },
  // content
  { table: 'threads', column: 'author_id', action: 'step', note: 'anonymised or deleted as chosen' },
  { table: 'threads', column: 'deleted_by', action: 'null' },
  { table: 'comments', column: 'author_id', action: 'step', note: 'anonymised or deleted as chosen' },
  { table: 'comments', column: 'deleted_by', action: 'null' },
  { table: 'revisions', column: 'edited_by', action: 'step', note: 'past versions of their own posts go' },
  { table: 'reactions', column: 'user_id', action: 'step', note: 'targets are recounted' },
  { table: 'mentions', column: 'user_id', action: 'delete' },
  // feed and search
  { table: 'follows', column: 'user_id', action: 'delete' },
  {
    table: 'follows',
    column: 'target_id',
    action: 'delete',
    when: { column: 'target_type', equals: 'user' },
  },
  { table: 'mutes', column: 'user_id', action: 'delete' },
  { table: 'mutes', column: 'target_id', action: 'delete', when: { column: 'target_type', equals: 'user' } },
  { table: 'search_docs', column: 'author_id', action: 'tombstone', note: 'documents of anonymised posts' },
  { table: 'search_docs', column: 'ref_id', action: 'delete', when: { column: 'kind', equals: 'member' } },
  // moderation
  { table: 'guideline_versions', column: 'created_by', action: 'null' },
  { table: 'guideline_acceptances', column: 'user_id', action: 'delete' },
  { table: 'moderation_settings', column: 'updated_by', action: 'null' },
  { table: 'review_items', column: 'target_user_id', action: 'null' },
  { table: 'review_items', column: 'resolved_by', action: 'null' },
  {
    table: 'review_items',
    column: 'target_id',
    action: 'delete',
    when: { column: 'target_type', equals: 'user' },
  },
  { table: 'reports', column: 'reporter_id', action: 'null' },
  { table: 'mod_actions', column: 'moderator_id', action: 'null' },
  { table: 'mod_actions', column: 'target_user_id', action: 'null' },
  { table: 'mod_actions', column: 'revoked_by', action: 'null' },
  {
    table: 'mod_actions',
    column: 'target_id',
    action: 'null',
    when: { column: 'target_type', equals: 'user' },
  },
  { table: 'appeals', column: 'user_id', action: 'delete' },
  { table: 'appeals', column: 'decided_by', action: 'null' },
  { table: 'watched_words', column: 'created_by', action: 'null' },
  { table: 'content_fingerprints', column: 'user_id', action: 'delete' },
  { table: 'trust_levels', column: 'user_id', action: 'delete' },
  { table: 'thread_reads', column: 'user_id', action: 'delete' },
  { table: 'visit_days', column: 'user_id', action: 'delete' },
  {
    table: 'context_notes',
    column: 'author_id',
    action: 'step',
    note: 'notes are content: anonymised or deleted',
  },
  { table: 'note_ratings', column: 'user_id', action: 'delete' },
  // gamification
  { table: 'points_ledger', column: 'user_id', action: 'delete' },
  { table: 'gamification_prefs', column: 'user_id', action: 'delete' },
  // importers
  { table: 'imported_accounts', column: 'user_id', action: 'delete' },
  {
    table: 'imported_accounts',
    column: 'source_user_id',
    action: 'not_a_user',
    note: 'the Stack Exchange id; the row goes with user_id',
  },
  // consent (platform, migration 0006)
  { table: 'analytics_consent', column: 'user_id', action: 'delete' },
  { table: 'consent_history', column: 'user_id', action: 'delete' },
  // privacy itself
  {
    table: 'privacy_tombstone',
    column: 'user_id',
    action: 'not_a_user',
    note: 'the tombstone account, never erased',
  },
]);

type T = Transaction<DB>;

/** Their posts: attributed to the tombstone, text kept (anonymise) or removed (delete); old versions go. */
registerErasureStep({
  name: 'privacy.content',
  order: 10,
  async run(trx: T, ctx: ErasureContext) {
    const mine = (table: 'threads' | 'comments') =>
      trx.selectFrom(table).select('id').where('author_id', '=', ctx.userId);
    const [threadIds, commentIds] = [
      (await mine('threads').execute()).map((r) => r.id),
      (await mine('comments').execute()).map((r) => r.id),
    ];
    for (const [type, ids] of [
      ['thread', threadIds],
      ['comment', commentIds],
    ] as const) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await trx
          .deleteFrom('revisions')
          .where('target_type', '=', type)
          .where('target_id', 'in', chunk)
          .execute();
        await trx
          .deleteFrom('content_attributions')
          .where('target_type', '=', type)
          .where('target_id', 'in', chunk)
          .execute();
      }
    }
    await trx
      .updateTable('revisions')
      .set({ edited_by: ctx.tombstoneId })
      .where('edited_by', '=', ctx.userId)
      .execute();
    if (ctx.content === 'delete') {
      await trx
        .updateTable('threads')
        .set({
          title: '[deleted]',
          body: '',
          body_html: '',
          excerpt: '',
          deleted_at: sql`coalesce(deleted_at, ${ctx.now})`,
        })
        .where('author_id', '=', ctx.userId)
        .execute();
      await trx
        .updateTable('comments')
        .set({ body: '', body_html: '', deleted_at: sql`coalesce(deleted_at, ${ctx.now})` })
        .where('author_id', '=', ctx.userId)
        .execute();
      await trx.deleteFrom('context_notes').where('author_id', '=', ctx.userId).execute();
    } else {
      await trx
        .updateTable('context_notes')
        .set({ author_id: ctx.tombstoneId })
        .where('author_id', '=', ctx.userId)
        .execute();
    }
    await trx
      .updateTable('threads')
      .set({ author_id: ctx.tombstoneId })
      .where('author_id', '=', ctx.userId)
      .execute();
    await trx
      .updateTable('comments')
      .set({ author_id: ctx.tombstoneId })
      .where('author_id', '=', ctx.userId)
      .execute();
  },
});

/** @mentions of them in anyone's posts point at the tombstone's name instead (as Discourse does on a rename). */
registerErasureStep({
  name: 'privacy.mentions_in_text',
  order: 20,
  async run(trx: T, ctx: ErasureContext) {
    const name = escapeRegex(ctx.username);
    const at = new RegExp(`@${name}(?![A-Za-z0-9_])`, 'gi');
    const link = new RegExp(`/u/${name}(?![A-Za-z0-9_])`, 'gi');
    const fix = (s: string | null) =>
      s == null ? s : s.replace(at, '@deleted-member').replace(link, '/u/deleted-member');
    const pattern = `%@${ctx.username}%`;
    const like = ilike(dialectOf(trx));
    for (const table of ['threads', 'comments'] as const) {
      const rows = await trx
        .selectFrom(table)
        .selectAll()
        .where((eb) => eb.or([eb('body', like, pattern), eb('body_html', like, pattern)]))
        .execute();
      for (const r of rows as {
        id: number;
        body: string;
        body_html: string;
        title?: string;
        excerpt?: string;
      }[]) {
        const set: Record<string, string | null> = { body: fix(r.body), body_html: fix(r.body_html) };
        if (table === 'threads')
          Object.assign(set, { title: fix(r.title ?? ''), excerpt: fix(r.excerpt ?? '') });
        await trx.updateTable(table).set(set).where('id', '=', r.id).execute();
      }
    }
    const revs = await trx
      .selectFrom('revisions')
      .select(['id', 'body', 'title'])
      .where('body', like, pattern)
      .execute();
    for (const r of revs) {
      await trx
        .updateTable('revisions')
        .set({ body: fix(r.body)!, title: fix(r.title) })
        .where('id', '=', r.id)
        .execute();
    }
  },
});

/** Their reactions go; each target's counts and score are recounted from the rows that remain. */
registerErasureStep({
  name: 'privacy.reactions',
  order: 30,
  async run(trx: T, ctx: ErasureContext) {
    const targets = await trx
      .selectFrom('reactions')
      .select(['target_type', 'target_id'])
      .where('user_id', '=', ctx.userId)
      .execute();
    await trx.deleteFrom('reactions').where('user_id', '=', ctx.userId).execute();
    for (const t of targets) {
      const rows = await trx
        .selectFrom('reactions')
        .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
        .where('target_type', '=', t.target_type)
        .where('target_id', '=', t.target_id)
        .groupBy('kind')
        .execute();
      const counts: Record<string, number> = {};
      let up = 0;
      let down = 0;
      for (const r of rows) {
        counts[r.kind] = Number(r.n);
        if (r.kind === 'downvote') down += Number(r.n);
        else up += Number(r.n);
      }
      const set = {
        score: up - down,
        up_count: up,
        down_count: down,
        reaction_counts: JSON.stringify(counts),
      };
      const table = t.target_type === 'thread' ? 'threads' : 'comments';
      await trx.updateTable(table).set(set).where('id', '=', t.target_id).execute();
    }
  },
});

/** Memberships go, and each community's member count with them. */
registerErasureStep({
  name: 'privacy.memberships',
  order: 40,
  async run(trx: T, ctx: ErasureContext) {
    const active = await trx
      .selectFrom('memberships')
      .select('community_id')
      .where('user_id', '=', ctx.userId)
      .where('status', '=', 'active')
      .execute();
    for (const m of active) {
      await trx
        .updateTable('communities')
        .set({ member_count: sql`case when member_count > 0 then member_count - 1 else 0 end` })
        .where('id', '=', m.community_id)
        .execute();
    }
    await trx.deleteFrom('memberships').where('user_id', '=', ctx.userId).execute();
  },
});

/** Replaces every string inside a JSON value that contains one of the needles. */
function scrub(value: unknown, needles: RegExp): unknown {
  if (typeof value === 'string') return value.replace(needles, 'deleted-member');
  if (Array.isArray(value)) return value.map((v) => scrub(v, needles));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, needles)]));
  return value;
}

/**
 * Text that names them outside user columns: login attempts, and past domain events. An event
 * already dispatched is history and goes; one still waiting for its handlers is kept (other
 * members' notifications depend on it) with every string naming them rewritten.
 */
registerErasureStep({
  name: 'privacy.logs',
  order: 50,
  async run(trx: T, ctx: ErasureContext) {
    await trx.deleteFrom('login_attempts').where('account_key', 'in', [ctx.username, ctx.email]).execute();
    const like = ilike(dialectOf(trx));
    const needles = namesOf(ctx);
    if (!needles.length) return;
    const matching = (eb: ExpressionBuilder<DB, 'outbox'>) =>
      eb.or(needles.map((n) => eb('payload', like, `%${n}%`)));
    await trx
      .deleteFrom('outbox')
      .where(matching)
      .where((eb) => eb.or([eb('dispatched_at', 'is not', null), eb('dead_at', 'is not', null)]))
      .execute();
    const pattern = new RegExp(needles.map(escapeRegex).join('|'), 'gi');
    const waiting = await trx.selectFrom('outbox').select(['id', 'payload']).where(matching).execute();
    for (const row of waiting) {
      const payload = JSON.stringify(scrub(JSON.parse(row.payload), pattern));
      await trx.updateTable('outbox').set({ payload }).where('id', '=', row.id).execute();
    }
  },
});
