// The host's camera and microphone: the chosen devices at 1280×720 (the ladder's nominal size), a
// preview and a microphone level from a WebAudio analyser.
import { h } from '../lib/dom.ts';

export const CAPTURE = { width: 1280, height: 720, frameRate: 30 } as const;

export async function openCapture(cameraId?: string, microphoneId?: string): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: { ...(cameraId ? { deviceId: { exact: cameraId } } : {}), width: { ideal: CAPTURE.width }, height: { ideal: CAPTURE.height }, frameRate: { ideal: CAPTURE.frameRate } },
    audio: microphoneId ? { deviceId: { exact: microphoneId } } : true,
  });
}

/** Device labels are readable only after permission was granted, so this runs after openCapture. */
export async function devices(kind: 'videoinput' | 'audioinput'): Promise<MediaDeviceInfo[]> {
  return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === kind);
}

export function stopCapture(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** A level bar following the microphone; `follow` switches it to another stream. */
export function levelMeter(label: string): { el: HTMLElement; follow(stream: MediaStream): void; close(): void } {
  const bar = h('meter', { min: 0, max: 1, value: 0, class: 'level', 'aria-label': label });
  let context: AudioContext | undefined;
  let source: MediaStreamAudioSourceNode | undefined;
  let frame = 0;
  const analyser = () => {
    context ??= new AudioContext();
    const node = context.createAnalyser();
    node.fftSize = 1024;
    return node;
  };
  let node: AnalyserNode | undefined;
  const tick = () => {
    if (!node) return;
    const samples = new Float32Array(node.fftSize);
    node.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    // RMS on a rough dB scale: speech sits in the middle of the bar.
    const db = 20 * Math.log10(Math.sqrt(sum / samples.length) || 1e-6);
    bar.value = Math.max(0, Math.min(1, (db + 60) / 60));
    frame = requestAnimationFrame(tick);
  };
  return {
    el: bar,
    follow(stream) {
      source?.disconnect();
      node = analyser();
      if (stream.getAudioTracks().length === 0) return;
      source = context!.createMediaStreamSource(stream);
      source.connect(node);
      void context!.resume();
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    },
    close() {
      cancelAnimationFrame(frame);
      node = undefined;
      void context?.close();
      context = undefined;
    },
  };
}
