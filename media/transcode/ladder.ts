// The live ABR ladder (DESIGN.md, live path "Transcode"): which renditions a broadcast gets. It is fixed
// when the broadcast starts, from the source's nominal picture, and never goes above it. An H.264 source
// becomes the top rung as it is (no re-encode); the rungs below are re-encoded from one decode.

export type SourceCodec = 'h264' | 'vp8';

export interface LadderSource {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** `other`: a recorded file's picture no rung may copy (media/vod: not H.264, or not a kind phones play). */
  readonly codec: SourceCodec | 'other';
  /** The source sends sound (a studio page always does; a screen-only feed may not). Default true. */
  readonly audio?: boolean;
  /**
   * Seconds between the source's keyframes when the sender keeps its own cadence (OBS's keyframe
   * interval). Unset: the sender answers keyframe requests, so we ask for one every segment.
   */
  readonly keyframeInterval?: number;
  /** The peak bit rate the sender is held to, when known: the passthrough rung's BANDWIDTH. */
  readonly maxBitrate?: number;
  /** Seconds per segment: live's SEGMENT_SECONDS unless given (VOD_SEGMENT_SECONDS for recorded clips). */
  readonly segmentSeconds?: number;
}

export interface Rung {
  /** `720p`: the rendition's name and folder. */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Average bits/s (x264's target, AVERAGE-BANDWIDTH). */
  readonly bitrate: number;
  /** Peak bits/s (x264's VBV ceiling, BANDWIDTH). */
  readonly maxBitrate: number;
  /** Copied from the source without a re-encode. */
  readonly passthrough: boolean;
  /** H.264 level_idc (31 = 3.1) x264 is held to; the source's own for a passthrough rung (null). */
  readonly level: number | null;
}

/** The sound, encoded into every rung (each variant carries its own AAC track, no separate rendition). */
export interface LadderAudio {
  readonly codec: 'aac';
  readonly bitrate: number;
  readonly sampleRate: number;
  readonly channels: number;
}

export interface LadderPlan {
  /** Largest first. */
  readonly rungs: readonly Rung[];
  readonly audio: LadderAudio | null;
  readonly fps: number;
  readonly segmentSeconds: number;
  /**
   * Where re-encoded rungs put their keyframes: on the source's ('source'), so that a passthrough
   * rung's segments, which can only cut at the source's keyframes, line up with theirs; or every
   * segment ('cadence') when every rung is re-encoded.
   */
  readonly keyframes: 'source' | 'cadence';
  /**
   * How often the producer is asked for a keyframe: every segment when a passthrough rung cuts only on
   * its keyframes; every few seconds for VP8, whose depacketiser drops every picture after a lost packet
   * until the next keyframe (ffmpeg's own requests do not reach the sender); never otherwise.
   */
  readonly keyframeRequestMs: number | null;
}

/** Short side and average bit rate; the peak is PEAK_RATIO above it. */
export const RUNG_TABLE: readonly { readonly height: number; readonly bitrate: number }[] = [
  { height: 1080, bitrate: 4_500_000 },
  { height: 720, bitrate: 2_500_000 },
  { height: 480, bitrate: 1_000_000 },
  { height: 360, bitrate: 600_000 },
];

export const AUDIO: LadderAudio = { codec: 'aac', bitrate: 128_000, sampleRate: 48_000, channels: 2 };
export const SEGMENT_SECONDS = 1;
/** A recorded clip's segments: no latency to keep low, so fewer, larger requests (and keyframes). */
export const VOD_SEGMENT_SECONDS = 2;
/** Longest segment a player may see (EXT-X-TARGETDURATION). */
export const MAX_TARGET_DURATION = 2;
/** A VP8 feed frozen by a lost packet recovers within this; a keyframe costs a few times a frame's bits. */
const VP8_RECOVERY_KEYFRAME_MS = 2_000;
const PEAK_RATIO = 1.2;
/** A table rung this close below a passthrough top adds an encode and almost no choice for the player. */
const NEAR_RATIO = 0.9;

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** A rung's picture: the short side `short`, the long side keeping the source's aspect ratio. */
function sized(source: LadderSource, short: number): { width: number; height: number } {
  const portrait = source.height > source.width;
  const long = even((short * Math.max(source.width, source.height)) / Math.min(source.width, source.height));
  return portrait ? { width: short, height: long } : { width: long, height: short };
}

function transcoded(source: LadderSource, short: number, bitrate: number): Rung {
  const { width, height } = sized(source, short);
  const maxBitrate = Math.round(bitrate * PEAK_RATIO);
  return { name: `${short}p`, width, height, bitrate, maxBitrate, passthrough: false, level: h264Level(width, height, source.fps, maxBitrate) };
}

/** A source smaller than every rung: the smallest rung's bits per pixel. */
function belowTableBitrate(source: LadderSource): number {
  const smallest = RUNG_TABLE[RUNG_TABLE.length - 1];
  const area = (source.width * source.height) / (sized(source, smallest.height).width * smallest.height);
  return Math.round((smallest.bitrate * area) / 10_000) * 10_000;
}

export function planLadder(source: LadderSource): LadderPlan {
  const short = Math.min(source.width, source.height);
  const segmentSeconds = source.segmentSeconds ?? SEGMENT_SECONDS;
  const keyframesRegular = (source.keyframeInterval ?? segmentSeconds) <= MAX_TARGET_DURATION;
  const passthrough = source.codec === 'h264' && keyframesRegular && short <= RUNG_TABLE[0].height;
  const belowTable = short < RUNG_TABLE[RUNG_TABLE.length - 1].height;
  const rungs: Rung[] = [];
  if (passthrough) {
    // The table rung the source stands in for (the smallest at least as big) sets its nominal rates.
    const nominal = belowTable ? belowTableBitrate(source) : RUNG_TABLE.filter((r) => r.height >= short).at(-1)!.bitrate;
    const maxBitrate = source.maxBitrate ?? Math.round(nominal * PEAK_RATIO);
    const { width, height } = source;
    rungs.push({ name: `${short}p`, width, height, bitrate: Math.min(nominal, maxBitrate), maxBitrate, passthrough: true, level: null });
    for (const r of RUNG_TABLE) if (r.height < short * NEAR_RATIO) rungs.push(transcoded(source, r.height, r.bitrate));
  } else if (belowTable) {
    rungs.push(transcoded(source, short - (short % 2), belowTableBitrate(source)));
  } else {
    for (const r of RUNG_TABLE) if (r.height <= short) rungs.push(transcoded(source, r.height, r.bitrate));
  }
  return {
    rungs,
    audio: source.audio === false ? null : AUDIO,
    fps: source.fps,
    segmentSeconds,
    keyframes: passthrough ? 'source' : 'cadence',
    keyframeRequestMs: passthrough ? segmentSeconds * 1000 : source.codec === 'vp8' ? VP8_RECOVERY_KEYFRAME_MS : null,
  };
}

// ITU-T H.264 Table A-1: macroblocks per second, macroblocks per frame, and kbit/s (High profile is
// allowed 1.25× the listed rate, Table A-2).
const LEVELS: readonly (readonly [idc: number, mbPerSecond: number, mbPerFrame: number, kbps: number])[] = [
  [20, 11_880, 396, 2_000],
  [21, 19_800, 792, 4_000],
  [22, 20_250, 1_620, 4_000],
  [30, 40_500, 1_620, 10_000],
  [31, 108_000, 3_600, 14_000],
  [32, 216_000, 5_120, 20_000],
  [40, 245_760, 8_192, 20_000],
  [41, 245_760, 8_192, 50_000],
  [42, 522_240, 8_704, 50_000],
  [50, 589_824, 22_080, 135_000],
  [51, 983_040, 36_864, 240_000],
];

/** The lowest H.264 High-profile level that holds this picture, rate and peak bit rate. */
export function h264Level(width: number, height: number, fps: number, maxBitrate: number): number {
  const perFrame = Math.ceil(width / 16) * Math.ceil(height / 16);
  const fits = LEVELS.find(([, mbps, mbpf, kbps]) => perFrame <= mbpf && perFrame * fps <= mbps && maxBitrate <= kbps * 1250);
  return (fits ?? LEVELS[LEVELS.length - 1])[0];
}
