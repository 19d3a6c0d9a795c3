import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { startCountdownPage } from '../countdown/page.ts';
import { readBoot } from '../lib/dom.ts';

startCountdownPage(readBoot<ResidentBoot>());
