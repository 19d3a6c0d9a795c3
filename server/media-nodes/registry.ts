// The media nodes this control plane knows, with their last reported load, and which node each live
// broadcast is pinned to (the one its feed arrives on: a broadcast's media never moves between nodes).
export interface MediaNodeEntry {
  readonly nodeId: string;
  readonly cores: number;
  readonly ip: string;
  broadcasts: number;
  cpu: number;
  lastSeen: number;
}

export class MediaNodeRegistry {
  readonly #nodes = new Map<string, MediaNodeEntry>();
  readonly #pins = new Map<string, string>();
  /** A node silent for this long is not given new broadcasts. */
  readonly #staleMs: number;

  constructor(staleMs: number) {
    this.#staleMs = staleMs;
  }

  register(entry: { nodeId: string; cores: number; ip: string }, now: number): void {
    this.#nodes.set(entry.nodeId, { ...entry, broadcasts: 0, cpu: 0, lastSeen: now });
  }

  reportLoad(nodeId: string, load: { broadcasts: number; cpu: number }, now: number): void {
    const node = this.#nodes.get(nodeId);
    if (!node) return;
    node.broadcasts = load.broadcasts;
    node.cpu = load.cpu;
    node.lastSeen = now;
  }

  nodes(): readonly MediaNodeEntry[] {
    return [...this.#nodes.values()];
  }

  /** The node a broadcast is pinned to, else the live node with the fewest broadcasts per core. */
  nodeFor(broadcastId: string, now: number): MediaNodeEntry | undefined {
    const pinned = this.#pins.get(broadcastId);
    if (pinned && this.#nodes.has(pinned)) return this.#nodes.get(pinned);
    const live = this.nodes().filter((n) => now - n.lastSeen <= this.#staleMs);
    return live.sort((a, b) => a.broadcasts / a.cores - b.broadcasts / b.cores || a.cpu - b.cpu)[0];
  }

  /** Forgets a node that went away; returns the broadcasts that were pinned to it. */
  remove(nodeId: string): string[] {
    this.#nodes.delete(nodeId);
    const orphans = [...this.#pins].filter(([, pinned]) => pinned === nodeId).map(([broadcastId]) => broadcastId);
    for (const broadcastId of orphans) this.#pins.delete(broadcastId);
    return orphans;
  }

  pin(broadcastId: string, nodeId: string): void {
    this.#pins.set(broadcastId, nodeId);
  }

  pinnedNode(broadcastId: string): string | undefined {
    return this.#pins.get(broadcastId);
  }

  unpin(broadcastId: string): void {
    this.#pins.delete(broadcastId);
  }
}
