import { type Static, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';
import { LIMITS } from './ingest.service.ts';

export const ReadEventSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('view'), Type.Literal('read')], {
      description: 'view: the thread was opened; read: ms of visible, focused reading',
    }),
    threadId: Id(),
    ms: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.maxSpanMs })),
    ageMs: Type.Optional(
      Type.Integer({ minimum: 0, maximum: LIMITS.maxAgeMs, description: 'how long ago the span ended' }),
    ),
  },
  { additionalProperties: false },
);

export const IngestBody = Type.Object(
  { events: Type.Array(ReadEventSchema, { minItems: 1, maxItems: LIMITS.maxEvents }) },
  { additionalProperties: false },
);
export type IngestBody = Static<typeof IngestBody>;

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 64 }) });

export const PeriodQuery = Type.Object({
  period: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { default: 'week' }),
  end: Type.Optional(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'last day, YYYY-MM-DD (UTC)' }),
  ),
  buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: 400 })),
});
export type PeriodQueryT = Static<typeof PeriodQuery>;

export const EXPORT_TABLES = [
  'summary',
  'series',
  'retention',
  'top-threads',
  'levels',
  'champions',
  'at-risk',
  'newcomers',
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export const ExportQuery = Type.Intersect([
  PeriodQuery,
  Type.Object({ table: Type.Union(EXPORT_TABLES.map((t) => Type.Literal(t))) }),
]);
export type ExportQueryT = Static<typeof ExportQuery>;
