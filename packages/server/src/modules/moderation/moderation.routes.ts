import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { registerWriteGate } from '../../platform/write-gate.ts';
import { Ok } from '../accounts/accounts.schema.ts';
import {
  addWatchedWord,
  listWatchedWords,
  moderationGate,
  removeWatchedWord,
  testText,
} from './automod.service.ts';
import { loadModeratedCommunity } from './context.ts';
import { accept, getGuidelines, listVersions } from './guidelines.service.ts';
import { registerModerationHandlers } from './moderation.events.ts';
import {
  Acceptance,
  AcceptBody,
  ContextNote,
  ContextNotes,
  Guidelines,
  GuidelineVersions,
  IdParams,
  MemberParams,
  MemberTrust,
  MyTrust,
  NoteCreate,
  NotesToRate,
  PageQuery,
  RateBody,
  RateResult,
  ReadBody,
  ReadResult,
  ScoreResult,
  SlugIdParams,
  SlugParams,
  TestBody,
  TestResult,
  TrustBody,
  WatchedWord,
  WatchedWordBody,
  WatchedWords,
} from './moderation.schema.ts';
import {
  deleteNote,
  getNote,
  notesOfThread,
  notesToRate,
  rateNote,
  scoreAll,
  scoreNow,
  writeNote,
} from './notes.service.ts';
import { reviewRoutes } from './review.routes.ts';
import { loadSettings, SettingsPatch, saveSettings } from './settings.ts';
import { getMemberTrust, myTrust, recomputeAll, recordReading, setManualLevel } from './trust.service.ts';

/**
 * Moderation: guidelines versions, reports and review queues, moderator actions and appeals,
 * automatic moderation (the write gate content calls), trust levels, the public log and
 * context notes. See README.md.
 */
export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['moderation'];

  registerWriteGate(app.events, 'moderation', moderationGate({ automod: app.config.automod }));
  registerModerationHandlers(app.events, app.clock);
  app.jobs.every('moderation.trust_levels', DAY, () => recomputeAll(deps));
  app.jobs.every('moderation.context_notes', HOUR, () => scoreAll(deps));
  await app.register(reviewRoutes(deps));

  // --- guidelines ---
  app.get(
    '/communities/:slug/guidelines',
    {
      schema: {
        tags,
        summary: 'Current guidelines version, its numbered rules, and whether you must accept it again',
        params: SlugParams,
        response: { 200: Guidelines },
      },
    },
    async (req) => getGuidelines(deps, req.params.slug, req.viewer),
  );
  app.get(
    '/communities/:slug/guidelines/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the guidelines',
        params: SlugParams,
        response: { 200: GuidelineVersions },
      },
    },
    async (req) => listVersions(deps, req.params.slug, req.viewer),
  );
  app.post(
    '/communities/:slug/guidelines/accept',
    {
      schema: {
        tags,
        summary: 'Accept the current guidelines (members must after a change before posting again)',
        params: SlugParams,
        body: AcceptBody,
        response: { 200: Acceptance },
      },
    },
    async (req) => accept(deps, req.params.slug, requireViewer(req), req.body.version),
  );

  // --- settings and automatic moderation (moderators) ---
  app.get(
    '/communities/:slug/moderation/settings',
    { schema: { tags, summary: 'Moderation settings (moderators)', params: SlugParams } },
    async (req) => {
      const { community } = await loadModeratedCommunity(app.db, req.params.slug, requireViewer(req));
      return loadSettings(app.db, community.id);
    },
  );
  app.patch(
    '/communities/:slug/moderation/settings',
    {
      schema: {
        tags,
        summary: 'Change moderation settings: trust thresholds, unlocks, automod, modlog names (moderators)',
        params: SlugParams,
        body: SettingsPatch,
      },
    },
    async (req) => {
      const viewer = requireViewer(req);
      const { community } = await loadModeratedCommunity(app.db, req.params.slug, viewer);
      return saveSettings(app.db, community.id, req.body, viewer.userId, app.clock.now());
    },
  );
  app.get(
    '/communities/:slug/moderation/watched-words',
    {
      schema: {
        tags,
        summary: 'Watched words (moderators)',
        params: SlugParams,
        response: { 200: WatchedWords },
      },
    },
    async (req) => listWatchedWords(deps, req.params.slug, requireViewer(req)),
  );
  app.post(
    '/communities/:slug/moderation/watched-words',
    {
      schema: {
        tags,
        summary: 'Watch a word or pattern: block, require approval, flag or censor',
        params: SlugParams,
        body: WatchedWordBody,
        response: { 201: WatchedWord },
      },
    },
    async (req, reply) => {
      const w = await addWatchedWord(deps, req.params.slug, requireViewer(req), req.body);
      reply.code(201);
      return w;
    },
  );
  app.delete(
    '/communities/:slug/moderation/watched-words/:id',
    { schema: { tags, summary: 'Stop watching a word', params: SlugIdParams, response: { 200: Ok } } },
    async (req) => {
      await removeWatchedWord(deps, req.params.slug, requireViewer(req), req.params.id);
      return { ok: true };
    },
  );
  app.post(
    '/communities/:slug/moderation/test',
    {
      schema: {
        tags,
        summary: 'Try a text against watched words and the spam score (moderators)',
        params: SlugParams,
        body: TestBody,
        response: { 200: TestResult },
      },
    },
    async (req) => testText(deps, req.params.slug, requireViewer(req), req.body.text),
  );

  // --- trust levels ---
  app.post(
    '/threads/:id/read',
    {
      schema: {
        tags,
        summary: 'Report reading a thread (time on screen, posts seen): feeds trust levels',
        params: IdParams,
        body: ReadBody,
        response: { 200: ReadResult },
      },
    },
    async (req) => recordReading(deps, req.params.id, requireViewer(req), req.body),
  );
  app.get(
    '/communities/:slug/members/:username/trust',
    {
      schema: {
        tags,
        summary: "A member's trust level and what it unlocks (the numbers: the member and moderators)",
        params: MemberParams,
        response: { 200: MemberTrust },
      },
    },
    async (req) => getMemberTrust(deps, req.params.slug, req.params.username, req.viewer),
  );
  app.patch(
    '/communities/:slug/members/:username/trust',
    {
      schema: {
        tags,
        summary: 'Pin a trust level (TL4 is only given this way) or return to the computed one (owners)',
        params: MemberParams,
        body: TrustBody,
        response: { 200: MemberTrust },
      },
    },
    async (req) =>
      setManualLevel(deps, req.params.slug, req.params.username, requireViewer(req), req.body.level),
  );
  app.get(
    '/me/trust',
    { schema: { tags, summary: 'Your trust levels and what they unlock', response: { 200: MyTrust } } },
    async (req) => myTrust(deps, requireViewer(req)),
  );

  // --- context notes ---
  app.post(
    '/notes',
    {
      schema: {
        tags,
        summary: 'Write a context note on a thread or comment (trusted members)',
        body: NoteCreate,
        response: { 201: ContextNote },
      },
    },
    async (req, reply) => {
      const n = await writeNote(deps, requireViewer(req), req.body);
      reply.code(201);
      return n;
    },
  );
  app.get(
    '/threads/:id/notes',
    {
      schema: {
        tags,
        summary:
          'Context notes on a thread and its comments: shown ones; raters also see those needing ratings',
        params: IdParams,
        response: { 200: ContextNotes },
      },
    },
    async (req) => notesOfThread(deps, req.viewer, req.params.id),
  );
  app.get(
    '/notes/:id',
    { schema: { tags, summary: 'A context note', params: IdParams, response: { 200: ContextNote } } },
    async (req) => getNote(deps, requireViewer(req), req.params.id),
  );
  app.post(
    '/notes/:id/ratings',
    {
      schema: {
        tags,
        summary: 'Rate a note: helpful yes / somewhat / no',
        params: IdParams,
        body: RateBody,
        response: { 200: RateResult },
      },
    },
    async (req) => rateNote(deps, requireViewer(req), req.params.id, req.body.helpful),
  );
  app.delete(
    '/notes/:id',
    {
      schema: {
        tags,
        summary: 'Delete a note (author, moderators)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await deleteNote(deps, requireViewer(req), req.params.id);
      return { ok: true };
    },
  );
  app.get(
    '/communities/:slug/notes',
    {
      schema: {
        tags,
        summary: 'Notes needing ratings: ones you may rate and have not rated yet, newest first (raters)',
        params: SlugParams,
        querystring: PageQuery,
        response: { 200: NotesToRate },
      },
    },
    async (req) => notesToRate(deps, requireViewer(req), req.params.slug, req.query),
  );
  app.post(
    '/communities/:slug/notes/score',
    {
      schema: {
        tags,
        summary: "Rescore the community's notes now (moderators; a job does it hourly)",
        params: SlugParams,
        response: { 200: ScoreResult },
      },
    },
    async (req) => scoreNow(deps, req.params.slug, requireViewer(req)),
  );
};
