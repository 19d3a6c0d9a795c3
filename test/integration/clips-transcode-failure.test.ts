// A transcode that goes wrong (issue 7, "Bad input"), with the media node in its own process and its real
// ffmpeg: a job whose ffmpeg dies half-way leaves the clip failed with a reason and nothing published,
// and a reviewer cannot approve a clip while it is still being transcoded.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeClipFile } from '../helpers/clip-files.ts';
import { clipTestApp as setUp, publishedFilesOf, sendWhole, watchClip } from '../helpers/clip-upload.ts';
import { descendants } from '../helpers/linbo-process.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';

t.test('a transcode that fails half-way leaves the clip failed with a reason and no partial renditions published', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  await startMediaNode(t, ctx);
  const file = await makeClipFile(dir, { seconds: 12, width: 1920, height: 1080 });
  const sent = await sendWhole(`${ctx.url}/api/uploads`, file, { channelId: channel.id, title: '转码中断' }, headers);
  t.equal(sent.finish.status, 204, 'the upload finishes');
  await until('the transcode is under way', async () => {
    const clip = await (await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers })).json();
    return clip.state === 'processing' && clip.progress > 0 && clip.progress < 100;
  }, 60_000, 100);
  // The job's ffmpeg dies mid-way (killed, as the kernel's OOM killer would).
  const ffmpegs = (await descendants(process.pid)).filter((p) => /\bffmpeg\b/.test(p.args) && p.args.includes(sent.clipId));
  t.ok(ffmpegs.length > 0, 'the job’s ffmpeg is found among the media node’s processes');
  for (const p of ffmpegs) process.kill(p.pid, 'SIGKILL');

  const { clip } = await watchClip(ctx.url, sent.clipId, headers, ['failed', 'in_review', 'published'], 60_000);
  t.equal(clip.state, 'failed', 'the clip failed');
  t.match(clip.error, { code: 'VOD_FAILED', message: { 'zh-CN': /[\u4e00-\u9fff]/, en: /[a-z]/ } }, `and says why: ${JSON.stringify(clip.error)}`);
  t.same(publishedFilesOf(ctx, sent.clipId), [], 'no rendition, playlist or poster of it is left in the media storage');
  const staging = join(ctx.config.dataDir, 'vod');
  t.same(existsSync(staging) ? readdirSync(staging) : [], [], 'nor in the media node’s staging folder');
  t.equal((await fetch(clip.links.hls)).status, 404, 'its HLS address answers 404');
});

t.test('a reviewer cannot approve a clip that is still processing', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  await startMediaNode(t, ctx);
  const file = await makeClipFile(dir, { seconds: 12, width: 1920, height: 1080 });
  const sent = await sendWhole(`${ctx.url}/api/uploads`, file, { channelId: channel.id, title: '还在转码' }, headers);
  await until('the transcode is under way', async () => (await (await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers })).json()).state === 'processing', 60_000, 100);
  const res = await fetch(`${ctx.url}/api/clips/${sent.clipId}/approve`, { method: 'POST', headers });
  t.equal(res.status, 409, 'approving is refused');
  t.match(await res.json(), { code: 'CLIP_NOT_IN_REVIEW' }, 'with CLIP_NOT_IN_REVIEW');
  const clip = await (await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers })).json();
  t.not(clip.state, 'published', 'the clip was not published');
  t.equal(clip.reviewedAt, null, 'nor marked reviewed');
});
