import { type Static, Type } from '@sinclair/typebox';

export const Username = Type.String({
  pattern: '^[A-Za-z0-9_]{3,30}$',
  description: '3-30 letters, digits or underscores; stored in lower case',
});
const Password = Type.String({ minLength: 10, maxLength: 256, description: 'At least 10 characters' });
const TagName = Type.String({ minLength: 1, maxLength: 33 });

export const SignupBody = Type.Object({
  username: Username,
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Password,
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type SignupBody = Static<typeof SignupBody>;

export const LoginBody = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 254, description: 'Username or email' }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const PublicUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  interests: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PublicUser = Static<typeof PublicUser>;

export const Me = Type.Composite([
  PublicUser,
  Type.Object({
    email: Type.String(),
    isAdmin: Type.Boolean(),
    csrfToken: Type.Union([Type.String(), Type.Null()]),
  }),
]);
export type Me = Static<typeof Me>;

export const AuthResponse = Type.Object({ user: Me });

export const UpdateMeBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  bio: Type.Optional(Type.String({ maxLength: 2000 })),
  // Null first: with coerceTypes, a string-first union turns null into "" before the null branch is tried.
  // This way null (and "") clear the avatar.
  avatarUrl: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])),
  interests: Type.Optional(Type.Array(TagName, { maxItems: 20 })),
});
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const CreateTokenBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export const CreatedToken = Type.Composite([
  ApiToken,
  Type.Object({ token: Type.String({ description: 'Shown once; send as Authorization: Bearer <token>' }) }),
]);

export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) });
export { IdParams } from '../../platform/schema.ts';
export const Ok = Type.Object({ ok: Type.Boolean() });
