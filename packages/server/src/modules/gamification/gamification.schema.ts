import { type Static, Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';
import { BadgeRuleBody, TIERS } from './badges.rules.ts';
import { PERIODS } from './leaderboards.ts';

/** Request schemas of the gamification routes (they also feed the OpenAPI document). */

export const Slug = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({
  slug: Type.String({ maxLength: 64 }),
  username: Type.String({ maxLength: 64 }),
});
export const UserParams = Type.Object({ username: Type.String({ maxLength: 64 }) });
export const SlugId = Type.Object({ slug: Type.String({ maxLength: 64 }), id: Id() });
export const MemberBadgeParams = Type.Object({
  slug: Type.String({ maxLength: 64 }),
  username: Type.String({ maxLength: 64 }),
  badgeId: Id(),
});

export const Prefs = Type.Object({ hideFromLeaderboards: Type.Boolean() }, { additionalProperties: false });

export const BoardQuery = Type.Object({
  period: Type.Union(
    PERIODS.map((p) => Type.Literal(p)),
    { default: 'all' },
  ),
  tag: Type.Optional(Type.String({ maxLength: 33, description: 'only points from threads with this tag' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type BoardQuery = Static<typeof BoardQuery>;

export const LevelsQuery = Type.Object({
  usernames: Type.String({ minLength: 1, maxLength: 8000, description: 'comma-separated, up to 200' }),
});

export const LogQuery = Type.Object({
  before: Type.Optional(Id()),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});

const Tier = Type.Union(TIERS.map((t) => Type.Literal(t)));
export const CreateBadgeBody = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,47}$', description: 'letters, digits and dashes' }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.Optional(Type.String({ maxLength: 300 })),
    tier: Tier,
    rule: BadgeRuleBody,
  },
  { additionalProperties: false },
);
export const UpdateBadgeBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    description: Type.Optional(Type.String({ maxLength: 300 })),
    tier: Type.Optional(Tier),
    enabled: Type.Optional(Type.Boolean()),
    rule: Type.Optional(BadgeRuleBody),
  },
  { additionalProperties: false },
);
export const GrantBody = Type.Object(
  { badgeId: Id(), reason: Type.Optional(Type.String({ maxLength: 300 })) },
  { additionalProperties: false },
);
export const RevokeQuery = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 300 })) });
export const SeenBody = Type.Object(
  { ids: Type.Array(Id(), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);

const Points = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const NullableInt = (min: number, max: number) =>
  Type.Union([Type.Null(), Type.Integer({ minimum: min, maximum: max })]);
const Secret = Type.Union([Type.Null(), Type.String({ maxLength: 5000 })], {
  description: 'shown only to members who redeem it (exclusive content, seat details, a shared code)',
});
const Codes = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 1000 });

export const CreateRewardBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('content'), Type.Literal('seat'), Type.Literal('promo_code')]),
    title: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    costPoints: Points,
    requiredBadgeId: Type.Optional(Type.Union([Type.Null(), Id()])),
    minLevel: Type.Optional(NullableInt(1, 20)),
    stock: Type.Optional(NullableInt(0, 1_000_000)),
    perMemberLimit: Type.Optional(NullableInt(1, 1000)),
    secret: Type.Optional(Secret),
    codes: Type.Optional(Codes),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateRewardBody = Static<typeof CreateRewardBody>;

export const UpdateRewardBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    costPoints: Type.Optional(Points),
    requiredBadgeId: Type.Optional(Type.Union([Type.Null(), Id()])),
    minLevel: Type.Optional(NullableInt(1, 20)),
    stock: Type.Optional(NullableInt(0, 1_000_000)),
    perMemberLimit: Type.Optional(NullableInt(1, 1000)),
    secret: Type.Optional(Secret),
    addCodes: Type.Optional(Codes),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateRewardBody = Static<typeof UpdateRewardBody>;
