// The picture size an H.264 feed really sends, read from its sequence parameter set (ITU-T H.264
// §7.3.2.1.1, cropping per §7.4.2.1.1) as it crosses the router in RTP (RFC 6184: single NAL unit
// packets and STAP-A aggregates; an SPS is far smaller than one packet, so FU-A is not looked into).

/** The SPS NAL units (header byte included) in one RTP packet's payload. */
export function spsInRtpPayload(payload: Buffer): Buffer[] {
  if (payload.length < 2) return [];
  const type = payload[0] & 0x1f;
  if (type === 7) return [payload];
  if (type !== 24) return [];
  const found: Buffer[] = [];
  for (let at = 1; at + 2 <= payload.length; ) {
    const size = payload.readUInt16BE(at);
    const nal = payload.subarray(at + 2, at + 2 + size);
    if (nal.length === size && size > 0 && (nal[0] & 0x1f) === 7) found.push(nal);
    at += 2 + size;
  }
  return found;
}

/** The RTP packet's payload (RFC 3550 §5.1: fixed header, CSRCs, header extension, padding). */
export function rtpPayload(packet: Buffer): Buffer | undefined {
  if (packet.length < 12 || packet[0] >> 6 !== 2) return undefined;
  let at = 12 + (packet[0] & 0x0f) * 4;
  if (packet[0] & 0x10) {
    if (packet.length < at + 4) return undefined;
    at += 4 + packet.readUInt16BE(at + 2) * 4;
  }
  const padding = packet[0] & 0x20 ? packet[packet.length - 1] : 0;
  return at <= packet.length - padding ? packet.subarray(at, packet.length - padding) : undefined;
}

class Bits {
  readonly #data: Buffer;
  #bit = 0;

  constructor(data: Buffer) {
    this.#data = data;
  }

  u(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.#data[this.#bit >> 3];
      if (byte === undefined) throw new Error('the SPS ends early');
      value = value * 2 + ((byte >> (7 - (this.#bit & 7))) & 1);
      this.#bit++;
    }
    return value;
  }

  /** Exp-Golomb, §9.1. */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new Error('not an Exp-Golomb code');
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 ? (k + 1) / 2 : -k / 2;
  }
}

/** Without emulation prevention bytes (§7.4.1: 00 00 03 → 00 00). */
function rbsp(nal: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (let i = 1; i < nal.length; i++) {
    if (zeros >= 2 && nal[i] === 3) {
      zeros = 0;
      continue;
    }
    out.push(nal[i]);
    zeros = nal[i] === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Width and height in pixels, after cropping, of the SPS NAL unit `nal` (header byte included). */
export function spsPictureSize(nal: Buffer): { width: number; height: number } {
  const bits = new Bits(rbsp(nal));
  const profile = bits.u(8);
  bits.u(16); // constraint flags, level_idc
  bits.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  let separateColourPlanes = 0;
  if (HIGH_PROFILES.has(profile)) {
    chromaFormat = bits.ue();
    if (chromaFormat === 3) separateColourPlanes = bits.u(1);
    bits.ue(); // bit_depth_luma_minus8
    bits.ue(); // bit_depth_chroma_minus8
    bits.u(1); // qpprime_y_zero_transform_bypass_flag
    if (bits.u(1)) {
      for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++) {
        if (!bits.u(1)) continue;
        let last = 8;
        let next = 8;
        for (let j = 0; j < (i < 6 ? 16 : 64) && next !== 0; j++) {
          next = (last + bits.se() + 256) % 256;
          if (next !== 0) last = next;
        }
      }
    }
  }
  bits.ue(); // log2_max_frame_num_minus4
  const pocType = bits.ue();
  if (pocType === 0) bits.ue();
  else if (pocType === 1) {
    bits.u(1);
    bits.se();
    bits.se();
    for (let n = bits.ue(); n > 0; n--) bits.se();
  }
  bits.ue(); // max_num_ref_frames
  bits.u(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = bits.ue() + 1;
  const heightMapUnits = bits.ue() + 1;
  const frameMbsOnly = bits.u(1);
  if (!frameMbsOnly) bits.u(1); // mb_adaptive_frame_field_flag
  bits.u(1); // direct_8x8_inference_flag
  const crop = bits.u(1) ? { left: bits.ue(), right: bits.ue(), top: bits.ue(), bottom: bits.ue() } : { left: 0, right: 0, top: 0, bottom: 0 };
  const monochrome = chromaFormat === 0 || separateColourPlanes === 1;
  const cropX = monochrome ? 1 : chromaFormat === 3 ? 1 : 2;
  const cropY = (monochrome ? 1 : chromaFormat === 1 ? 2 : 1) * (2 - frameMbsOnly);
  return {
    width: widthMbs * 16 - cropX * (crop.left + crop.right),
    height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (crop.top + crop.bottom),
  };
}
