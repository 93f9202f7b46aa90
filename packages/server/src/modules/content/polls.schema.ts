import { type Static, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';

/** Polls in threads (content module). */
export const PollOption = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  votes: Type.Union([Type.Integer(), Type.Null()], {
    description: 'null until you voted or the poll closed',
  }),
});

export const Poll = Type.Object({
  id: Type.Integer(),
  threadId: Type.Integer(),
  question: Type.String(),
  maxChoices: Type.Integer({ description: '1 = single choice' }),
  closesAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closed: Type.Boolean(),
  voterCount: Type.Integer(),
  resultsVisible: Type.Boolean(),
  myVote: Type.Union([Type.Array(Type.Integer()), Type.Null()]),
  canVote: Type.Boolean(),
  options: Type.Array(PollOption),
});
export type Poll = Static<typeof Poll>;

export const PollResult = Type.Object({ poll: Type.Union([Poll, Type.Null()]) });

export const CreatePollBody = Type.Object({
  question: Type.String({ minLength: 1, maxLength: 300 }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 12 }),
  maxChoices: Type.Integer({ minimum: 1, maximum: 12, default: 1 }),
  closesAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
});
export type CreatePollBody = Static<typeof CreatePollBody>;

export const VoteBody = Type.Object({
  optionIds: Type.Array(Id(), { minItems: 1, maxItems: 12 }),
});
