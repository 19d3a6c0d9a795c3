// Schema building blocks shared by every REST contract.
import { Type, type TProperties, type TSchema } from 'typebox';

/** A JSON body object: unknown fields are an error, never silently dropped. */
export const Body = <P extends TProperties>(properties: P, options: { description?: string } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Id = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Id });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  },
  { additionalProperties: true, $id: 'Problem', description: 'RFC 9457 problem details' },
);
