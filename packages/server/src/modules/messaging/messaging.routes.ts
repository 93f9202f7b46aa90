import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireViewer } from '../../platform/auth.ts';
import {
  BlockList,
  Conversation,
  ConversationList,
  CreateConversationBody,
  Created,
  IdParams,
  ListQuery,
  Message,
  MessageList,
  Ok,
  ReportCreated,
  ReportMessageBody,
  SendBody,
  Settings,
  UsernameParams,
} from './messaging.schema.ts';
import * as svc from './messaging.service.ts';
import './messaging.rights.ts';

/** Direct messages: conversations (one-to-one and small groups), blocks, who may write to me, reports. */
export const messagingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, events: app.events, clock: app.clock };
  const tags = ['messaging'];

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'My conversations, latest first',
        querystring: ListQuery,
        response: { 200: ConversationList },
      },
    },
    async (req) => svc.listConversations(deps, requireViewer(req), req.query),
  );

  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Write to one member (their one conversation with me) or start a small group',
        body: CreateConversationBody,
        response: { 201: Created },
      },
    },
    async (req, reply) => {
      const created = await svc.startConversation(deps, requireViewer(req), req.body);
      reply.code(201);
      return created;
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: { tags, summary: 'A conversation I am in', params: IdParams, response: { 200: Conversation } },
    },
    async (req) => svc.getConversation(deps, requireViewer(req), req.params.id),
  );

  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Messages, newest first (cursor for older ones)',
        params: IdParams,
        querystring: ListQuery,
        response: { 200: MessageList },
      },
    },
    async (req) => svc.listMessages(deps, requireViewer(req), req.params.id, req.query),
  );

  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Send a message',
        params: IdParams,
        body: SendBody,
        response: { 201: Message },
      },
    },
    async (req, reply) => {
      const m = await svc.sendMessage(deps, requireViewer(req), req.params.id, req.body.body);
      reply.code(201);
      return m;
    },
  );

  app.post(
    '/conversations/:id/read',
    { schema: { tags, summary: 'Mark the conversation read', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await svc.markRead(deps, requireViewer(req), req.params.id);
      return { ok: true };
    },
  );

  app.post(
    '/conversations/:id/leave',
    { schema: { tags, summary: 'Leave a conversation', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await svc.leave(deps, requireViewer(req), req.params.id);
      return { ok: true };
    },
  );

  app.post(
    '/messages/:id/report',
    {
      schema: {
        tags,
        summary: "Report a message to the site moderators (they see the reporter's copy of it)",
        params: IdParams,
        body: ReportMessageBody,
        response: { 201: ReportCreated },
      },
    },
    async (req, reply) => {
      const r = await svc.reportMessage(deps, requireViewer(req), req.params.id, req.body);
      reply.code(201);
      return r;
    },
  );

  app.get(
    '/blocks',
    { schema: { tags, summary: 'Members I blocked', response: { 200: BlockList } } },
    async (req) => svc.listBlocks(deps, requireViewer(req)),
  );

  app.post(
    '/blocks/:username',
    {
      schema: {
        tags,
        summary: 'Block a member: no messages either way; their messages hidden from me',
        params: UsernameParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.block(deps, requireViewer(req), req.params.username, true);
      return { ok: true };
    },
  );

  app.delete(
    '/blocks/:username',
    { schema: { tags, summary: 'Unblock a member', params: UsernameParams, response: { 200: Ok } } },
    async (req) => {
      await svc.block(deps, requireViewer(req), req.params.username, false);
      return { ok: true };
    },
  );

  app.get(
    '/messaging/settings',
    { schema: { tags, summary: 'Who may start a conversation with me', response: { 200: Settings } } },
    async (req) => svc.getSettings(deps, requireViewer(req)),
  );

  app.patch(
    '/messaging/settings',
    {
      schema: {
        tags,
        summary: 'Choose who may start a conversation with me',
        body: Settings,
        response: { 200: Settings },
      },
    },
    async (req) => svc.updateSettings(deps, requireViewer(req), req.body.allowFrom),
  );
};
