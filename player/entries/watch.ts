import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { readBoot } from '../lib/dom.ts';
import { startWatchPage } from '../watch/page.ts';

// Serves /watch/:id and /embed/:id alike; the boot data says which.
startWatchPage(readBoot<ResidentBoot>());
