import type { SubmitBoot } from '../../server/contracts/clip-pages.ts';
import { readBoot } from '../lib/dom.ts';
import { startSubmitPage } from '../submit/page.ts';

startSubmitPage(readBoot<SubmitBoot>());
