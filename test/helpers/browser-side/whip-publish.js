// Runs in the browser (bundled by esbuild into the WHIP test and bench pages): publishes a stream to
// a WHIP endpoint with the third-party whip-whep client. By default the video keeps its resolution
// from the first frame as the studio page does; `keepResolution: false` leaves the sender to Chromium's
// defaults (it starts small and ramps up for ~15 s). `videoCodec: 'video/VP8'` offers that codec alone,
// as a browser without H.264 does; `scaleResolutionDownBy` starts the video that much smaller.
import { WHIPClient } from 'whip-whep/whip.js';

export async function publishOverWhip(stream, url, token, { keepResolution = true, videoCodec, scaleResolutionDownBy = 1 } = {}) {
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) {
    // `detail` alone makes Chromium keep the resolution; the default hint lets it scale down.
    if (track.kind === 'video' && keepResolution) track.contentHint = 'detail';
    const sendEncodings = track.kind === 'video' && scaleResolutionDownBy !== 1 ? [{ scaleResolutionDownBy }] : undefined;
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly', sendEncodings });
    if (track.kind === 'video' && videoCodec) {
      const wanted = (c) => [videoCodec.toLowerCase(), 'video/rtx'].includes(c.mimeType.toLowerCase());
      transceiver.setCodecPreferences(RTCRtpSender.getCapabilities('video').codecs.filter(wanted));
    }
  }
  const client = new WHIPClient();
  try {
    await client.publish(pc, url, token);
  } catch (err) {
    // Refused (a busy broadcast answers 409): nothing is left sending, so the caller may try again.
    pc.close();
    throw err;
  }
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video' || !keepResolution) continue;
    const parameters = sender.getParameters();
    parameters.degradationPreference = 'maintain-resolution';
    await sender.setParameters(parameters);
  }
  return { pc, client };
}
