// The API's shapes as the console receives them, derived from the shared contracts (types only).
import type { Static } from 'typebox';
import type { AccountSchema } from '../../server/contracts/auth.ts';
import type { ImageSchema } from '../../server/contracts/channels.ts';

export type { Broadcast } from '../../server/contracts/broadcasts.ts';
export type { Channel } from '../../server/contracts/channels.ts';
export type { Series } from '../../server/contracts/series.ts';
export type Account = Static<typeof AccountSchema>;
export type Image = Static<typeof ImageSchema>;
export type Role = Account['role'];
