// What turns an HLS URL into pictures: the phone's own HLS where there is no MSE (iPhone, WeChat on
// iOS), otherwise hls.js loaded on demand (Android WeChat claims native HLS but plays it badly, so
// MSE wins whenever it exists). Recovers from network and media errors without reloading the page.
import type HlsType from 'hls.js';
import type { ErrorData, HlsConfig } from 'hls.js';
import { LIVE_EDGE_CONFIG, PREMIERE_EDGE_CONFIG } from '../lib/live-config.ts';

export interface Level {
  height: number;
  bitrate: number;
}

export interface EngineEvents {
  /** Trouble started (true) or the media flows again (false). */
  onTrouble(reconnecting: boolean): void;
  onLevels(levels: Level[]): void;
  /** The level on screen (index into the levels), and whether automatic choice is on. */
  onLevel(level: number, auto: boolean): void;
  /** A failure the engine reports but keeps trying to get past. */
  onError(code: string, message: string): void;
}

export interface Engine {
  readonly kind: 'hls.js' | 'native';
  /** Where a live stream should play from now (null: not known, or not live). */
  liveEdge(): number | null;
  /** The wall-clock time (ms) of the picture on screen, from the playlist's program date-times; null when not known. */
  playingDate(): number | null;
  /** -1: automatic. */
  chooseLevel(index: number): void;
  destroy(): void;
}

const MAX_BACKOFF_MS = 8_000;
const hasMse = () => typeof window.MediaSource === 'function' || 'ManagedMediaSource' in window;

/**
 * The ladder's sound is a separate rendition (#EXT-X-MEDIA TYPE=AUDIO with a URI), which hls.js's
 * light build cannot play: only then is the full build loaded (docs/decisions.md, "Watch page weight").
 */
const separateAudio = (master: string) => /^#EXT-X-MEDIA:(?=.*TYPE=AUDIO)(?=.*URI=)/m.test(master);

/** The master playlist, waiting for it a few seconds (it is written just after the broadcast turns live); null if it never comes. */
async function readMaster(url: string): Promise<string | null> {
  for (let wait = 250; wait <= 4000; wait *= 2) {
    const text = await fetch(url, { cache: 'no-store', credentials: 'omit' }).then((r) => (r.ok ? r.text() : null), () => null);
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return null;
}

async function loadHls(url: string): Promise<typeof HlsType> {
  const master = await readMaster(url);
  // Not knowing, the full build: heavier, but it plays every ladder.
  const module = master === null || separateAudio(master) ? await import('hls.js') : await import('hls.js/light');
  return module.default;
}

/** `premiere`: a live stream of a clip's 2-s segments, played from further behind the edge (PREMIERE_EDGE_CONFIG). */
export async function startEngine(video: HTMLVideoElement, url: string, live: boolean, events: EngineEvents, premiere = false): Promise<Engine> {
  const edgeConfig = premiere ? PREMIERE_EDGE_CONFIG : LIVE_EDGE_CONFIG;
  if (!hasMse() && video.canPlayType('application/vnd.apple.mpegurl')) return nativeEngine(video, url, live, events, edgeConfig.liveSyncDuration!);
  const Hls = await loadHls(url);
  if (!Hls.isSupported()) return nativeEngine(video, url, live, events, edgeConfig.liveSyncDuration!);
  return hlsEngine(Hls, video, url, live ? edgeConfig : null, events);
}

function nativeEngine(video: HTMLVideoElement, url: string, live: boolean, events: EngineEvents, holdBack: number): Engine {
  let backoff = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onError = () => {
    events.onTrouble(true);
    events.onError('MEDIA_ERROR', video.error?.message || `media error ${video.error?.code ?? ''}`);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const at = live ? 0 : video.currentTime;
      video.src = url;
      if (at) video.currentTime = at;
      void video.play().catch(() => {});
    }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };
  const onPlaying = () => {
    backoff = 1000;
    events.onTrouble(false);
  };
  video.addEventListener('error', onError);
  video.addEventListener('playing', onPlaying);
  video.src = url;
  events.onLevels([]);
  return {
    kind: 'native',
    liveEdge() {
      const s = video.seekable;
      return live && s.length ? Math.max(s.start(s.length - 1), s.end(s.length - 1) - holdBack) : null;
    },
    playingDate() {
      // Safari's own HLS dates the stream's start from EXT-X-PROGRAM-DATE-TIME.
      const start = (video as HTMLVideoElement & { getStartDate?: () => Date }).getStartDate?.().getTime();
      return start !== undefined && Number.isFinite(start) ? start + video.currentTime * 1000 : null;
    },
    chooseLevel() {},
    destroy() {
      clearTimeout(timer);
      video.removeEventListener('error', onError);
      video.removeEventListener('playing', onPlaying);
      video.removeAttribute('src');
      video.load();
    },
  };
}

/** `liveConfig`: null for a replay, played from its start. */
function hlsEngine(Hls: typeof HlsType, video: HTMLVideoElement, url: string, liveConfig: Partial<HlsConfig> | null, events: EngineEvents): Engine {
  const live = liveConfig !== null;
  const config: Partial<HlsConfig> = liveConfig ? { ...liveConfig } : { startPosition: 0 };
  let hls = new Hls(config);
  let backoff = 1000;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let mediaRecoveredAt = 0;
  let audioSwapped = false;
  let troubled = false;

  const trouble = (on: boolean) => {
    if (on === troubled) return;
    troubled = on;
    events.onTrouble(on);
  };
  const later = (fn: () => void) => {
    clearTimeout(retry);
    retry = setTimeout(fn, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  function onError(_event: string, data: ErrorData): void {
    if (!data.fatal) return;
    trouble(true);
    events.onError(data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'NETWORK_ERROR' : data.type === Hls.ErrorTypes.MEDIA_ERROR ? 'MEDIA_ERROR' : 'PLAYER_ERROR', data.details);
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      // A playlist that never loaded has to be asked for again; otherwise loading resumes where it stopped.
      const manifest = data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR || data.details === Hls.ErrorDetails.MANIFEST_LOAD_TIMEOUT;
      later(() => (manifest ? hls.loadSource(url) : hls.startLoad()));
    } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      // hls.js's documented ladder: recover, then swap the audio codec and recover, then start afresh.
      const now = Date.now();
      if (now - mediaRecoveredAt > 3000) {
        mediaRecoveredAt = now;
        hls.recoverMediaError();
      } else if (!audioSwapped) {
        audioSwapped = true;
        mediaRecoveredAt = now;
        hls.swapAudioCodec();
        hls.recoverMediaError();
      } else later(restart);
    } else later(restart);
  }

  function onFlowing(): void {
    backoff = 1000;
    trouble(false);
  }

  function wire(): void {
    hls.on(Hls.Events.ERROR, onError);
    hls.on(Hls.Events.FRAG_BUFFERED, onFlowing);
    hls.on(Hls.Events.MANIFEST_PARSED, () => events.onLevels(hls.levels.map((l) => ({ height: l.height, bitrate: l.bitrate }))));
    hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => events.onLevel(data.level, hls.autoLevelEnabled));
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  function restart(): void {
    const at = live ? -1 : video.currentTime;
    hls.destroy();
    hls = new Hls({ ...config, startPosition: at });
    audioSwapped = false;
    wire();
  }

  wire();
  return {
    kind: 'hls.js',
    liveEdge: () => (live ? hls.liveSyncPosition : null),
    playingDate: () => hls.playingDate?.getTime() ?? null,
    chooseLevel(index) {
      // currentLevel switches at once (flushing what is buffered): a viewer who picked wants to see it.
      hls.currentLevel = index;
      events.onLevel(index === -1 ? hls.currentLevel : index, index === -1);
    },
    destroy() {
      clearTimeout(retry);
      hls.destroy();
    },
  };
}
