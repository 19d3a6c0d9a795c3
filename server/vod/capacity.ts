// How many VOD jobs a media node may run at once, computed here from what every node already reports
// (node.register's cores, node.load's live broadcasts): one per core, one core left to each live
// broadcast's transcoder, and always at least one so clips never starve. VOD ffmpeg runs at nice 19 on
// the node, so even that one yields the CPU to live transcodes.
import type { MediaNodeEntry } from '../media-nodes/registry.ts';

export const vodSlots = (node: Pick<MediaNodeEntry, 'cores' | 'broadcasts'>): number => Math.max(1, node.cores - node.broadcasts);
