import { Type } from '@sinclair/typebox';
import { Id } from '../../platform/schema.ts';

const CommunityRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });

export const Collaboration = Type.Object({
  id: Type.Integer(),
  partner: Type.Object({
    id: Type.Integer(),
    slug: Type.String(),
    name: Type.String(),
    visibility: Type.String(),
  }),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('active'), Type.Literal('ended')]),
  direction: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')], {
    description: 'outgoing: this community proposed it',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const CollaborationList = Type.Object({ items: Type.Array(Collaboration) });
export const ProposeBody = Type.Object({ partner: Type.String({ minLength: 1, maxLength: 64 }) });

export const ShareBody = Type.Object({
  community: Type.String({ minLength: 1, maxLength: 64, description: 'slug of the partner community' }),
  confirmPrivateToPublic: Type.Optional(
    Type.Boolean({ description: "Owner's explicit choice to share private content into a public partner" }),
  ),
});
export const CrosspostList = Type.Object({
  origin: Type.Union([CommunityRef, Type.Null()]),
  items: Type.Array(CommunityRef),
});
export const CohostList = Type.Object({ items: Type.Array(CommunityRef) });

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 64 }) });
export const IdParams = Type.Object({ id: Id() });
export const IdSlugParams = Type.Object({ id: Id(), slug: Type.String({ maxLength: 64 }) });
