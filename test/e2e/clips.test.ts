// A recorded clip end to end, with real parts (issue 7, "Done when"): a 1080p30 H.264 + AAC recording
// made by ffmpeg is uploaded with tus-js-client, cut half-way and resumed → probed → transcoded by the
// media node (its own process) into the HLS ladder with progress on the clip → reviewed → published first
// in its channel's feed → played by hls.js in headless Chromium at the top rung.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { makeClipFile, videoPacketHashes } from '../helpers/clip-files.ts';
import { sendClipCutAndResumed, watchClip } from '../helpers/clip-upload.ts';
import { streamCodecs, variantUris } from '../helpers/ffprobe.ts';
import { hlsPlayer } from '../helpers/hls-playback.ts';
import { tempDir } from '../helpers/media.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { servedBytes, servedText } from '../helpers/served.ts';
import { createChannel } from '../helpers/schedule.ts';

const CHUNK = 256 * 1024;

t.test('a 1080p recording uploaded with a cut and a resume is transcoded with progress, reviewed, published first in its feed and played by hls.js', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, admin);
  const dir = tempDir(t, 'clips-e2e');
  const file = await makeClipFile(dir, { seconds: 12, width: 1920, height: 1080, fps: 30 });

  const sent = await sendClipCutAndResumed(`${ctx.url}/api/uploads`, file, {
    headers: { authorization: admin.authorization },
    metadata: { channelId: channel.id, title: '重阳节联欢会 第一场' },
    chunkSize: CHUNK,
  });
  t.ok(sent.heldAfterCut >= sent.total / 2 && sent.heldAfterCut < sent.total, `the server held half the file when it was cut (${sent.heldAfterCut} of ${sent.total} bytes)`);
  t.equal(sent.resumedFrom, sent.heldAfterCut, 'the resumed upload started where the server stopped, not at byte 0');
  t.match(sent.clipId, /^[0-9a-f-]{36}$/, 'the upload’s id is a UUID: the clip’s id');

  const authorization = { authorization: editor.authorization };
  const { clip, samples } = await watchClip(ctx.url, sent.clipId, authorization, ['in_review', 'published', 'failed']);
  t.equal(clip.state, 'in_review', `the transcoded staff clip waits for a reviewer (the channel reviews staff uploads by default): ${JSON.stringify(clip.error)}`);
  t.match(clip, { id: sent.clipId, channelId: channel.id, title: '重阳节联欢会 第一场', source: 'staff', progress: 100, width: 1920, height: 1080 }, 'the clip carries its upload’s metadata, the probed size and a finished transcode');
  t.ok(Math.abs(clip.durationSeconds - 12) < 0.5, `ffprobe's duration is on the clip (${clip.durationSeconds} s)`);
  const states = samples.map((s) => s.state).filter((state, i, all) => state !== all[i - 1]);
  t.same(states.filter((s) => s !== 'uploaded'), ['processing', 'in_review'], `it went through processing to in_review (states seen: ${states.join(' → ')})`);
  const processing = samples.filter((s) => s.state === 'processing').map((s) => s.progress);
  t.same(processing, [...processing].sort((a, b) => a - b), `progress only grows while processing: ${processing.join(', ')}`);
  const between = new Set(processing.filter((p) => p > 0 && p < 100));
  t.ok(between.size >= 2, `at least two progress values strictly between 0 and 100 were seen while processing: ${processing.join(', ')}`);
  t.ok(samples.some((s) => s.state === 'processing' && s.etaSeconds !== null), 'while processing the clip says how long is left');

  // The ladder: every rung up to the source's 1080, none above; the top one is the source's H.264 copied.
  const master = await servedText(clip.links.hls);
  const heights = [...master.matchAll(/RESOLUTION=\d+x(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => b - a);
  t.same(heights, [1080, 720, 480, 360], `the master lists the rungs up to 1080: ${heights.join(', ')}`);
  const base = clip.links.hls.replace(/master\.m3u8$/, '');
  const lines = master.split('\n');
  const top = lines[lines.findIndex((line) => /RESOLUTION=1920x1080/.test(line)) + 1];
  t.ok(variantUris(master).includes(top), `the 1080 rung has a playlist (${top})`);
  const topPlaylist = await servedText(base + top);
  t.match(topPlaylist, /#EXT-X-ENDLIST/, 'the rung is a finished VOD playlist');
  const folder = base + top.slice(0, top.lastIndexOf('/') + 1);
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(topPlaylist)?.[1];
  const firstSegment = topPlaylist.split('\n').find((line) => line && !line.startsWith('#'))!;
  const joined = join(dir, 'top-first-segment.mp4');
  writeFileSync(joined, Buffer.concat([...(init ? [await servedBytes(folder + init)] : []), await servedBytes(folder + firstSegment)]));
  t.same((await streamCodecs(joined)).sort(), ['aac', 'h264'], 'ffprobe reads the top rung’s first segment: picture and sound');
  const copied = await videoPacketHashes(joined, 30);
  t.equal(copied.length, 30, 'the first segment holds a second of video at least');
  t.same(copied, await videoPacketHashes(file, 30), 'its H.264 packets are the source’s own bytes: copied, not re-encoded');

  const poster = await servedBytes(clip.links.poster);
  const posterInfo = await sharp(poster).metadata();
  t.equal(posterInfo.format, 'jpeg', 'the poster is a JPEG');
  t.ok((posterInfo.width ?? 0) > 0 && (posterInfo.height ?? 0) > 0, `of the clip's picture (${posterInfo.width}×${posterInfo.height})`);

  const approved = await fetch(`${ctx.url}/api/clips/${sent.clipId}/approve`, { method: 'POST', headers: authorization });
  t.equal(approved.status, 200, 'an editor approves it');
  const published = await approved.json();
  t.equal(published.state, 'published', 'the clip is published');
  t.ok(published.publishedAt, 'it records when it was published');

  const feed = await (await fetch(`${ctx.url}/api/channels/${channel.id}/feed`)).json();
  t.match(feed.items[0], { kind: 'clip', clip: { id: sent.clipId, state: 'published' } }, 'the channel’s feed lists it first, to anyone');

  const player = await hlsPlayer(t, await launchBrowser(t));
  const playback = await player.play(published.links.hls);
  try {
    const watched = await playback.until('hls.js plays the clip at its top rung', (r) => r.started && r.played >= 2 && r.videoHeight >= 1080, 60_000);
    t.equal(watched.live, false, 'hls.js reads it as VOD');
    t.ok(watched.currentTime > 0, `the play head moves (${watched.currentTime.toFixed(2)} s)`);
    t.ok(watched.contrast > 32, 'a picture is on screen, not a flat colour');
    t.equal(Math.max(...watched.levels.map((l) => l.height)), 1080, 'hls.js found the whole ladder');
  } finally {
    await playback.close();
  }
});
