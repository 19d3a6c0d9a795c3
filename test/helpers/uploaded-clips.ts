// Finished uploads as server/uploads hands them to ClipService: a real file made by ffmpeg, probed
// by the project's ffprobe wrapper, sent by a staff member or a resident's device.
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Account } from '../../server/accounts/service.ts';
import type { ClipProbe, UploadedClip, Uploader } from '../../server/clips/ports.ts';
import { viewerIdOf } from '../../server/realtime/identity.ts';
import { probeMedia } from '../../media/ffmpeg/probe.ts';

/** What ffprobe says about `path`, as a ClipProbe. */
export async function clipProbe(path: string): Promise<ClipProbe> {
  const info = await probeMedia(path);
  if (!info.video || info.durationSeconds === null) throw new Error(`${path} has no video to probe`);
  return {
    durationSeconds: info.durationSeconds,
    width: info.video.width,
    height: info.video.height,
    fps: info.video.fps,
    videoCodec: info.video.codec,
    videoProfile: info.video.profile,
    videoLevel: info.video.level,
    audioCodec: info.audio?.codec ?? null,
    container: info.container ?? 'unknown',
  };
}

/** A resident's phone: the raw linbo_device token (the cookie) and the viewer id stored for it. */
export function residentDevice(): { token: string; viewerId: string; cookie: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, viewerId: viewerIdOf(token), cookie: `linbo_device=${token}` };
}

export const staffUploader = (account: Account): Uploader => ({ kind: 'staff', account });
export const residentUploader = (viewerId: string, displayName = '王阿姨'): Uploader => ({ kind: 'resident', viewerId, displayName, ip: '203.0.113.7' });

export function uploadedClip(path: string, probe: ClipProbe, fields: { channelId: string; uploader: Uploader; title?: string; id?: string }): UploadedClip {
  return {
    id: fields.id ?? randomUUID(),
    channelId: fields.channelId,
    title: fields.title ?? '社区合唱团排练',
    filename: 'rehearsal.mp4',
    sizeBytes: statSync(path).size,
    uploader: fields.uploader,
    probe,
  };
}
