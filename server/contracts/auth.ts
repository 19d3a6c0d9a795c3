import { Type, type Static } from 'typebox';
import { Body, Id, Timestamp } from './common.ts';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('host')]);

export const AccountSchema = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Timestamp,
});

const Username = Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' });
const Password = Type.String({ minLength: 8, maxLength: 200 });

export const LoginBody = Body({ username: Type.String({ minLength: 1, maxLength: 40 }), password: Type.String({ minLength: 1, maxLength: 200 }) });
export const LoginReply = Type.Object({ token: Type.String(), expiresAt: Timestamp, account: AccountSchema });

export const CreateAccountBody = Body({
  username: Username,
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  role: RoleSchema,
  password: Password,
});
export const UpdateAccountBody = Body({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  role: Type.Optional(RoleSchema),
  password: Type.Optional(Password),
  disabled: Type.Optional(Type.Boolean()),
});
export type CreateAccount = Static<typeof CreateAccountBody>;
