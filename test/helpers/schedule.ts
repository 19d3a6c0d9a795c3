// Channels, broadcasts and pictures made through the API, as staff would make them.
import sharp from 'sharp';
import type { TestApp } from './app.ts';

type Headers = { authorization: string };

export async function createChannel(ctx: TestApp, headers: Headers, fields: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/channels', headers, payload: { slug: `street-${Math.random().toString(36).slice(2, 8)}`, name: '幸福街道', ...fields } });
  if (res.statusCode !== 201) throw new Error(`create channel: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A lecture one day after the app's clock, in `channelId`, with `fields` overriding the defaults. */
export async function createBroadcast(ctx: TestApp, headers: Headers, channelId: string, fields: Record<string, unknown> = {}) {
  const start = new Date(ctx.services.clock.now().getTime() + 24 * 3600_000).toISOString();
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/broadcasts',
    headers,
    payload: { channelId, title: '家庭教育讲座', kind: 'lecture', scheduledStart: start, durationMinutes: 45, ...fields },
  });
  if (res.statusCode !== 201) throw new Error(`create broadcast: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A multipart/form-data body with one file field, as a browser's FormData sends it. */
export function multipartFile(data: Buffer, filename: string, contentType: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----linbo${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A real PNG: left half red, right half blue. */
export const twoColourPng = (width = 400, height = 200): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: width / 2, height, channels: 3, background: '#0000ff' } }, left: width / 2, top: 0 }])
    .png()
    .toBuffer();

export async function uploadImage(ctx: TestApp, headers: Headers, data?: Buffer): Promise<{ id: string; url: string; width: number; height: number }> {
  const body = multipartFile(data ?? (await twoColourPng()), 'cover.png', 'image/png');
  const res = await ctx.app.inject({ method: 'POST', url: '/api/images', headers: { ...headers, ...body.headers }, payload: body.payload });
  if (res.statusCode !== 201) throw new Error(`upload image: ${res.statusCode} ${res.body}`);
  return res.json();
}
