import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import sharp from 'sharp';
import { staff, startApp } from '../helpers/app.ts';
import { multipartFile, twoColourPng, uploadImage } from '../helpers/schedule.ts';

t.test('an uploaded picture is stored as a 1280×720 JPEG served with year-long immutable caching', async (t) => {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  const image = await uploadImage(ctx, editor, await twoColourPng(400, 200));
  t.match(image, { width: 1280, height: 720, url: `${ctx.config.publicUrl}/api/images/${image.id}.jpg` });
  const res = await ctx.app.inject({ url: `/api/images/${image.id}.jpg` });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'image/jpeg');
  t.match(res.headers['cache-control'], /max-age=31536000/);
  t.match(res.headers['cache-control'], /immutable/);
  const meta = await sharp(res.rawPayload).metadata();
  t.match(meta, { format: 'jpeg', width: 1280, height: 720 });
  t.equal(ctx.services.images.path(image.id), join(ctx.config.dataDir, 'images', `${image.id}.jpg`), 'posters read covers from here');
});

t.test('a phone photo is turned upright by its EXIF orientation before it is cut to size', async (t) => {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  // Stored sideways (red left, blue right) with orientation 6: upright, red is on top and blue below.
  const sideways = await sharp(await twoColourPng(400, 200)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const image = await uploadImage(ctx, editor, sideways);
  const { data, info } = await sharp(ctx.services.images.path(image.id)).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
  const [topRed, , topBlue] = pixel(640, 20);
  const [bottomRed, , bottomBlue] = pixel(640, 700);
  t.ok(topRed > 200 && topBlue < 60, `top is red (${pixel(640, 20)})`);
  t.ok(bottomBlue > 200 && bottomRed < 60, `bottom is blue (${pixel(640, 700)})`);
});

t.test('a file that is not a picture is INVALID_IMAGE and nothing is stored', async (t) => {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  const body = multipartFile(Buffer.from('%PDF-1.7 definitely not a picture'), 'notice.png', 'image/png');
  const res = await ctx.app.inject({ method: 'POST', url: '/api/images', headers: { ...editor, ...body.headers }, payload: body.payload });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'INVALID_IMAGE');
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  const dir = join(ctx.config.dataDir, 'images');
  t.same(existsSync(dir) ? readdirSync(dir) : [], [], 'no file left behind');
});

t.test('hosts and residents cannot upload; an unknown image is IMAGE_NOT_FOUND', async (t) => {
  const ctx = await startApp(t);
  const host = await staff(ctx, 'host');
  const body = multipartFile(await twoColourPng(), 'cover.png', 'image/png');
  const asHost = await ctx.app.inject({ method: 'POST', url: '/api/images', headers: { authorization: host.authorization, ...body.headers }, payload: body.payload });
  t.equal(asHost.json().code, 'FORBIDDEN');
  const anonymous = await ctx.app.inject({ method: 'POST', url: '/api/images', headers: body.headers, payload: body.payload });
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
  const missing = await ctx.app.inject({ url: '/api/images/00000000-0000-4000-8000-000000000000.jpg' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'IMAGE_NOT_FOUND');
});
