// The RFC 6381 codec string of an fMP4 init section (ISO/IEC 14496-12 boxes), read from the bytes ffmpeg
// wrote: exact for a copied stream too, whose profile and level only the sender knew.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LadderPlan } from '../transcode/ladder.ts';
import { initSegmentName } from '../transcode/hls-args.ts';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
/** Bytes of a sample entry's own fields before its child boxes (ISO/IEC 14496-12 §12.1.3, §12.2.3). */
const SAMPLE_ENTRY_FIELDS: Readonly<Record<string, number>> = { avc1: 78, avc3: 78, mp4a: 28 };

interface Box {
  readonly type: string;
  readonly body: Buffer;
}

function* boxes(data: Buffer): Generator<Box> {
  let at = 0;
  while (at + 8 <= data.length) {
    let size = data.readUInt32BE(at);
    let header = 8;
    if (size === 1 && at + 16 <= data.length) {
      size = Number(data.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = data.length - at;
    }
    if (size < header || at + size > data.length) return;
    yield { type: data.toString('latin1', at + 4, at + 8), body: data.subarray(at + header, at + size) };
    at += size;
  }
}

/** Every sample entry under moov/trak/.../stsd, with its child boxes. */
function* sampleEntries(data: Buffer): Generator<Box> {
  for (const box of boxes(data)) {
    if (CONTAINERS.has(box.type)) yield* sampleEntries(box.body);
    // stsd: version and flags (4), entry count (4), then the entries.
    else if (box.type === 'stsd') yield* boxes(box.body.subarray(8));
  }
}

const child = (entry: Box, type: string) => [...boxes(entry.body.subarray(SAMPLE_ENTRY_FIELDS[entry.type]))].find((b) => b.type === type);

/** `avc1.PPCCLL` from the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1). */
function avcCodec(entry: Box): string | undefined {
  const config = child(entry, 'avcC')?.body;
  if (!config || config.length < 4) return undefined;
  return `${entry.type}.${config.subarray(1, 4).toString('hex')}`;
}

/** Reads an MPEG-4 descriptor header (ISO/IEC 14496-1 §8.3.3): tag, then a size in 7-bit groups. */
function descriptor(data: Buffer, at: number): { tag: number; start: number; size: number } | undefined {
  if (at >= data.length) return undefined;
  let size = 0;
  let i = at + 1;
  for (let n = 0; n < 4 && i < data.length; n++, i++) {
    size = (size << 7) | (data[i] & 0x7f);
    if ((data[i] & 0x80) === 0) return { tag: data[at], start: i + 1, size };
  }
  return undefined;
}

/** `mp4a.40.<audio object type>` from the esds box (ISO/IEC 14496-1 §7.2.6.5, 14496-3 §1.6.2.1). */
function aacCodec(entry: Box): string | undefined {
  const esds = child(entry, 'esds')?.body;
  if (!esds) return undefined;
  const es = descriptor(esds, 4); // after version and flags
  if (!es || es.tag !== 0x03) return undefined;
  const flags = esds[es.start + 2];
  let at = es.start + 3;
  if (flags & 0x80) at += 2; // dependsOn_ES_ID
  if (flags & 0x40) at += 1 + esds[at]; // URL
  if (flags & 0x20) at += 2; // OCR_ES_Id
  const config = descriptor(esds, at);
  if (!config || config.tag !== 0x04) return undefined;
  const objectType = esds[config.start];
  const specific = descriptor(esds, config.start + 13);
  if (!specific || specific.tag !== 0x05) return `mp4a.${objectType.toString(16)}`;
  const audioObjectType = esds[specific.start] >> 3;
  return `mp4a.${objectType.toString(16)}.${audioObjectType}`;
}

/** The codec of one track's sample entry, e.g. `avc1.64001f` or `mp4a.40.2`; undefined when unknown. */
function codecOfEntry(entry: Box): string | undefined {
  if (entry.type === 'avc1' || entry.type === 'avc3') return avcCodec(entry);
  if (entry.type === 'mp4a') return aacCodec(entry);
  return undefined;
}

/**
 * The codecs of the init section's tracks, the picture's first (`['avc1.64001f', 'mp4a.40.2']`), as
 * CODECS lists them; undefined when it has none or a track's codec is unknown.
 */
export function codecsOfInitSegment(data: Buffer): string[] | undefined {
  const entries = [...sampleEntries(data)];
  const codecs = entries.map(codecOfEntry);
  if (codecs.length === 0 || codecs.some((codec) => !codec)) return undefined;
  return (codecs as string[]).sort((a, b) => Number(a.startsWith('mp4a')) - Number(b.startsWith('mp4a')));
}

/**
 * Each rung's codecs (picture and sound share its fMP4 init section), read from the init sections
 * ffmpeg wrote into `dir`; a rung whose init section is not there yet has none (ffmpeg writes it with
 * the rung's first segment).
 */
export async function renditionCodecs(dir: string, plan: LadderPlan): Promise<Record<string, readonly string[] | undefined>> {
  const read = async (name: string) => {
    const data = await readFile(join(dir, name, initSegmentName(name))).catch(() => undefined);
    return [name, data && codecsOfInitSegment(data)] as const;
  };
  return Object.fromEntries(await Promise.all(plan.rungs.map((rung) => read(rung.name))));
}
