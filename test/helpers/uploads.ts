// What the upload tests look at: a resident's device cookie, the files the tus store holds for an
// upload, and the clip rows an upload became.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { clips } from '../../server/store/schema.ts';
import type { TestApp } from './app.ts';

/** A resident's phone: the linbo_device cookie the submission page sets. */
export const residentDevice = (): { cookie: string } => ({ cookie: `linbo_device=${randomBytes(24).toString('base64url')}` });

export const uploadsEndpoint = (ctx: TestApp): string => `${ctx.url}/api/uploads`;

/** Every file in the data dir's uploads/ (bytes and `.json` sidecars), or those of one upload. */
export function uploadFiles(ctx: TestApp, id = ''): string[] {
  const dir = join(ctx.config.dataDir, 'uploads');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.includes(id)) : [];
}

export async function clipCount(ctx: TestApp, id?: string): Promise<number> {
  const query = ctx.services.store.db.select({ n: count() }).from(clips);
  const [row] = await (id ? query.where(eq(clips.id, id)) : query);
  return row.n;
}

export async function clipRow(ctx: TestApp, id: string) {
  const [row] = await ctx.services.store.db.select().from(clips).where(eq(clips.id, id));
  return row;
}
