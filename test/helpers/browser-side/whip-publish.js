// Runs in the browser (bundled by esbuild into the WHIP test and bench pages): publishes a stream to
// a WHIP endpoint with the third-party whip-whep client, keeping the video's resolution from the first
// frame as the studio page does (left to Chromium, a sender starts at 320×180 and ramps up for ~15 s).
import { WHIPClient } from 'whip-whep/whip.js';

export async function publishOverWhip(stream, url, token) {
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) {
    if (track.kind === 'video') track.contentHint = 'detail';
    pc.addTransceiver(track, { direction: 'sendonly' });
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
    if (sender.track?.kind !== 'video') continue;
    const parameters = sender.getParameters();
    parameters.degradationPreference = 'maintain-resolution';
    await sender.setParameters(parameters);
  }
  return { pc, client };
}
