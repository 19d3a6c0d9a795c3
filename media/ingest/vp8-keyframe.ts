// The picture size a VP8 feed really sends, read from a keyframe's header as it crosses the router in
// RTP: the payload descriptor (RFC 7741 §4.2), then, at the start of a frame, the frame tag and the
// keyframe's start code and dimensions (RFC 6386 §9.1). Only keyframes carry a size.

/** Bytes of the RFC 7741 payload descriptor at the start of `payload`; undefined when it is cut short. */
function descriptorLength(payload: Buffer): number | undefined {
  let at = 1;
  if (payload[0] & 0x80) {
    const extension = payload[at++];
    if (extension === undefined) return undefined;
    if (extension & 0x80) at += payload[at] !== undefined && payload[at] & 0x80 ? 2 : 1; // PictureID, 15 bits when M is set
    if (extension & 0x40) at += 1; // TL0PICIDX
    if (extension & 0x30) at += 1; // TID/Y/KEYIDX
  }
  return at <= payload.length ? at : undefined;
}

/** Width and height of the keyframe starting in this RTP payload; undefined for any other packet. */
export function vp8KeyframeSize(payload: Buffer): { width: number; height: number } | undefined {
  if (payload.length < 1) return undefined;
  // S set and partition index 0: this packet starts a frame, so the VP8 payload header follows.
  const startsFrame = (payload[0] & 0x10) !== 0 && (payload[0] & 0x07) === 0;
  const at = descriptorLength(payload);
  if (!startsFrame || at === undefined) return undefined;
  const frame = payload.subarray(at);
  // Frame tag bit 0 is 0 on a keyframe; the start code 9d 01 2a follows the 3-byte tag.
  if (frame.length < 10 || (frame[0] & 0x01) !== 0 || frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  // 14 bits each, little-endian; the top two bits are the upscaling hint, not the size.
  return { width: frame.readUInt16LE(6) & 0x3fff, height: frame.readUInt16LE(8) & 0x3fff };
}
