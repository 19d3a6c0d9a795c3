import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { startEmbedBridge } from '../embed/bridge.ts';
import { readBoot } from '../lib/dom.ts';
import { startWatchPage } from '../watch/page.ts';

// Serves /watch/:id and /embed/:id alike; the boot data says which.
const boot = readBoot<ResidentBoot>();
const page = startWatchPage(boot);
if (page && boot.embed) startEmbedBridge(page);
