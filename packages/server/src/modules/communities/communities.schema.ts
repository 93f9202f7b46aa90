import { type Static, Type } from '@sinclair/typebox';

export const Slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$',
  description: '3-50 lower-case letters, digits and dashes',
});
const Visibility = Type.Union([Type.Literal('public'), Type.Literal('private')], {
  description: 'private: invisible to non-members (invite only)',
});
const JoinPolicy = Type.Union([Type.Literal('open'), Type.Literal('request'), Type.Literal('invite')]);
const RoleT = Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member')]);
const StatusT = Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('invited')]);

export const CreateCommunityBody = Type.Object({
  slug: Slug,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  visibility: Type.Optional(Visibility),
  joinPolicy: Type.Optional(JoinPolicy),
  guidelines: Type.Optional(Type.String({ maxLength: 20000 })),
});
export type CreateCommunityBody = Static<typeof CreateCommunityBody>;

export const UpdateCommunityBody = Type.Partial(Type.Omit(CreateCommunityBody, ['slug']));
export type UpdateCommunityBody = Static<typeof UpdateCommunityBody>;

export const ViewerMembership = Type.Union([
  Type.Object({
    role: RoleT,
    status: StatusT,
    guidelinesAcceptedAt: Type.Union([Type.String(), Type.Null()]),
  }),
  Type.Null(),
]);

export const Community = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  visibility: Visibility,
  joinPolicy: JoinPolicy,
  guidelines: Type.String(),
  memberCount: Type.Integer(),
  threadCount: Type.Integer(),
  createdAt: Type.String(),
  membership: ViewerMembership,
});
export type Community = Static<typeof Community>;

export const CommunityList = Type.Object({
  items: Type.Array(Community),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListCommunitiesQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  mine: Type.Optional(Type.Boolean({ description: 'Only communities you are an active member of' })),
});

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({
  slug: Type.String({ maxLength: 64 }),
  username: Type.String({ maxLength: 64 }),
});

export const JoinBody = Type.Object({
  acceptGuidelines: Type.Optional(
    Type.Boolean({ description: 'Must be true when the community has guidelines' }),
  ),
});
export const JoinResponse = Type.Object({ status: StatusT, role: RoleT });

export const Member = Type.Object({
  userId: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  role: RoleT,
  status: StatusT,
  joinedAt: Type.Union([Type.String(), Type.Null()]),
  guidelinesAcceptedAt: Type.Union([Type.String(), Type.Null()]),
});
export const MemberList = Type.Object({
  items: Type.Array(Member),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const ListMembersQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  status: Type.Optional(StatusT),
});
export const InviteBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) });
export const RoleBody = Type.Object({
  role: Type.Union([Type.Literal('moderator'), Type.Literal('member'), Type.Literal('owner')]),
});
