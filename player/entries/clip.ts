import type { ClipBoot } from '../../server/contracts/clip-pages.ts';
import { readBoot } from '../lib/dom.ts';
import { startClipPage } from '../clip/page.ts';

startClipPage(readBoot<ClipBoot>());
