import { Type, type Static } from 'typebox';
import { Body, Id, Nullable, Timestamp } from './common.ts';

export const ChannelSchema = Type.Object(
  {
    id: Id,
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    avatarImageId: Nullable(Id),
    avatarUrl: Nullable(Type.String({ format: 'uri' })),
    /** Staff uploads wait for an editor's approval too; resident submissions always do. */
    reviewStaffUploads: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    links: Type.Object({ ics: Type.String({ format: 'uri' }) }),
  },
  { $id: 'Channel' },
);
export type Channel = Static<typeof ChannelSchema>;

const Slug = Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$' });

export const CreateChannelBody = Body({
  slug: Slug,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  avatarImageId: Type.Optional(Nullable(Id)),
  reviewStaffUploads: Type.Optional(Type.Boolean({ default: true })),
});
export const UpdateChannelBody = Body({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  avatarImageId: Type.Optional(Nullable(Id)),
  reviewStaffUploads: Type.Optional(Type.Boolean()),
});

export const ImageSchema = Type.Object({ id: Id, url: Type.String({ format: 'uri' }), width: Type.Integer(), height: Type.Integer() });
