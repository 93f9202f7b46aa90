import { Type } from '@sinclair/typebox';

/** Largest id: ids are 32-bit integer columns (PostgreSQL rejects larger values with an error). */
export const MAX_ID = 2_147_483_647;

/** A row id in a path, query or body. */
export const Id = (opts: { description?: string } = {}) =>
  Type.Integer({ minimum: 1, maximum: MAX_ID, ...opts });

export const IdParams = Type.Object({ id: Id() });
