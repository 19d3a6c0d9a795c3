// A resident's video to the channel: its length checked in the browser first (so nobody waits for a
// long upload to be refused), then sent over tus (tus-js-client against /api/uploads, the device cookie
// naming the sender): resumable, retried when a phone's connection drops, with progress and time left.
import * as tus from 'tus-js-client';
import type { Bilingual, UPLOAD_METADATA } from '../../server/contracts/clips.ts';

// The contract's keys, typed against it: importing the value would bring TypeBox into the page.
const META: typeof UPLOAD_METADATA = { filename: 'filename', channelId: 'channelId', title: 'title', displayName: 'displayName' };

/** Pauses between retries of a failed request: a connection that drops for half a minute comes back by itself. */
const RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000];
const METADATA_TIMEOUT_MS = 10_000;

/** The video's length in seconds from the browser's own reading of it; null when the browser cannot tell (the server probes anyway). */
export function readDuration(file: File): Promise<number | null> {
  return new Promise((resolve) => {
    const video = document.createElement('video');
    const url = URL.createObjectURL(file);
    const done = (value: number | null) => {
      clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => done(null), METADATA_TIMEOUT_MS);
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () => done(Number.isFinite(video.duration) ? video.duration : null);
    video.onerror = () => done(null);
    video.src = url;
  });
}

export interface Submission {
  file: File;
  channelId: string;
  title: string;
  displayName: string;
}

export interface UploadEvents {
  /** Bytes sent so far of the total, and the estimated seconds left (null until known). */
  onProgress(sent: number, total: number, secondsLeft: number | null): void;
  onDone(clipId: string | null): void;
  /** The server's bilingual message when it refused the file, else null. */
  onFailed(messages: Bilingual | null): void;
}

export function sendSubmission(endpoint: string, s: Submission, events: UploadEvents): tus.Upload {
  let started = 0;
  let startBytes = 0;
  const upload = new tus.Upload(s.file, {
    endpoint,
    retryDelays: RETRY_DELAYS,
    metadata: {
      [META.filename]: s.file.name,
      [META.channelId]: s.channelId,
      [META.title]: s.title,
      [META.displayName]: s.displayName,
    },
    removeFingerprintOnSuccess: true,
    onProgress(sent, total) {
      const now = performance.now();
      if (!started) {
        started = now;
        startBytes = sent;
      }
      const rate = (sent - startBytes) / Math.max(1, now - started);
      events.onProgress(sent, total, rate > 0 && now - started > 1000 ? Math.ceil((total - sent) / rate / 1000) : null);
    },
    onSuccess() {
      const url = upload.url;
      events.onDone(url ? decodeURIComponent(url.split('/').pop() ?? '') || null : null);
    },
    onError(error) {
      events.onFailed(messagesOf((error as tus.DetailedError).originalResponse?.getBody()));
    },
  });
  void upload.findPreviousUploads().then(
    (previous) => {
      const same = previous.find((p) => p.metadata[META.channelId] === s.channelId && p.metadata[META.title] === s.title);
      if (same) upload.resumeFromPreviousUpload(same);
      upload.start();
    },
    () => upload.start(),
  );
  return upload;
}

/** Problem JSON's bilingual `messages`, if the body is one. */
function messagesOf(body: string | undefined): Bilingual | null {
  try {
    const problem = JSON.parse(body ?? '') as { messages?: Bilingual };
    return problem.messages && typeof problem.messages['zh-CN'] === 'string' ? problem.messages : null;
  } catch {
    return null;
  }
}
