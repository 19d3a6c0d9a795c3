import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Body, IdParams } from '../contracts/common.ts';
import { RtpTrack, SourceVideo } from '../contracts/media.ts';
import { guard, staffOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { MediaNodeService } from './service.ts';

const tags = ['live'];

const OpenRtpIngestBody = Body(
  {
    width: Type.Optional(Type.Integer({ minimum: 16, maximum: 7680, default: 1280 })),
    height: Type.Optional(Type.Integer({ minimum: 16, maximum: 4320, default: 720 })),
    fps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 120, default: 30 })),
  },
  {
    description:
      'The picture the sender will send (default 1280×720 at 30 fps). The rendition ladder is planned from the size in the feed\'s own H.264 SPS, never above it; this size stands in when no SPS arrives within 3 s',
  },
);

const RtpIngestResponse = Type.Object({
  nodeId: Type.String(),
  ip: Type.String({ description: 'Send RTP to this address' }),
  video: RtpTrack,
  audio: RtpTrack,
  source: SourceVideo,
  ffmpegArgs: Type.Array(Type.String(), { description: 'ffmpeg output options sending input 0 here (after your -i options)' }),
  ffmpegCommand: Type.String({ description: 'A complete example command, reading input.mp4' }),
});

export const mediaNodeRoutes: FastifyPluginAsyncTypebox<{ mediaNodes: MediaNodeService; auth: AuthService }> = async (app, { mediaNodes, auth }) => {
  app.post(
    '/api/broadcasts/:id/ingest/rtp',
    {
      schema: {
        tags,
        summary: 'Open a plain-RTP ingest (H.264 + Opus, e.g. from ffmpeg) and get where to send it (the assigned host, editor, admin)',
        description:
          'Video: H.264 constrained baseline, payload type and SSRC as returned, a keyframe every second. Audio: Opus 48 kHz stereo. ' +
          'RTCP goes to each track\'s rtcpPort. The broadcast goes live when the video arrives. Asking again returns the same ingest ' +
          'while its feed has not started or still flows; once it has been quiet for 3 s, a new one (new ports and SSRCs) continues the same broadcast.',
        params: IdParams,
        body: OpenRtpIngestBody,
        response: { 200: RtpIngestResponse },
      },
      preHandler: guard(auth),
    },
    (request) => {
      const { width = 1280, height = 720, fps = 30 } = request.body;
      return mediaNodes.openRtpIngest(staffOf(request), request.params.id, { width, height, fps });
    },
  );
};

