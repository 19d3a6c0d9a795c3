// ffmpeg's `-progress` output: blocks of `key=value` lines, each ended by `progress=continue` (or `end`).

export interface FfmpegProgress {
  /** How far into the output ffmpeg has written, in microseconds; null before the first frame. */
  readonly outTimeUs: number | null;
  /** Output time per wall-clock time (1 = keeping up with a live source); null while unknown. */
  readonly speed: number | null;
  readonly frame: number | null;
  /** The last block: ffmpeg is done writing. */
  readonly end: boolean;
}

const numberOrNull = (value: string | undefined): number | null => {
  const n = value === undefined ? Number.NaN : Number.parseFloat(value);
  return Number.isFinite(n) ? n : null;
};

function block(fields: Map<string, string>): FfmpegProgress {
  return {
    // out_time_ms is microseconds too, by an old mistake ffmpeg keeps; out_time_us says what it is.
    outTimeUs: numberOrNull(fields.get('out_time_us') ?? fields.get('out_time_ms')),
    speed: numberOrNull(fields.get('speed')?.replace(/x$/, '')),
    frame: numberOrNull(fields.get('frame')),
    end: fields.get('progress') === 'end',
  };
}

/** Feed it stdout chunks as they come; it calls `onProgress` once per complete block. */
export function progressReader(onProgress: (progress: FfmpegProgress) => void): (chunk: string) => void {
  let partial = '';
  let fields = new Map<string, string>();
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      fields.set(key, line.slice(eq + 1).trim());
      if (key === 'progress') {
        onProgress(block(fields));
        fields = new Map();
      }
    }
  };
}
