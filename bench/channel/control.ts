// What the orchestrator (run.ts) and the load generator (load.ts) say to each other over Node's IPC channel.
import type { DialectName } from './dialects.ts';

export interface ConnectCommand {
  cmd: 'connect';
  dialect: DialectName;
  base: string;
  n: number;
  /** Source addresses the viewers are spread over (each has its own ephemeral ports). */
  addresses: string[];
  /** New sockets per second at most. */
  rate: number;
  /** Every how many viewers one parses its frames for latency. */
  sampleEvery: number;
}

export interface DriveCommand {
  cmd: 'drive';
  eventsPerSecond: number;
  senders: number;
  /** Source addresses of the senders, one each (per-address limits then count each as one viewer). */
  senderAddresses: string[];
  event: 'chat' | 'question';
  warmupSeconds: number;
  seconds: number;
  /** How long to wait after the window for events still on their way; what has not come by then is lost. */
  drainSeconds: number;
}

export type Command = ConnectCommand | DriveCommand | { cmd: 'close' };

export interface Connected {
  kind: 'connected';
  ready: number;
  failed: number;
  /** Why connections failed: error codes, close codes, timeouts. */
  reasons: Record<string, number>;
  ms: number;
}

export interface Driven {
  kind: 'driven';
  /** Events sent inside the measured window. */
  sent: number;
  sampledSockets: number;
  /** sent × sampled sockets: deliveries the sample should have seen. */
  expected: number;
  latenciesMs: { p50: number; p99: number; max: number; delivered: number };
  /** Viewer sockets closed by the server or the network after they were connected. */
  dropped: number;
  dropReasons: Record<string, number>;
  /** Error frames the senders got, by code (rate limits, slow mode…). */
  senderErrors: Record<string, number>;
  /** The generator's own event-loop delay over the window, ms: high means it, not the server, delayed frames. */
  loopDelayP99Ms: number;
}

export type Report = Connected | Driven | { kind: 'window'; phase: 'start' | 'end' };
