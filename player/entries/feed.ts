import type { FeedBoot } from '../../server/contracts/clip-pages.ts';
import { readBoot } from '../lib/dom.ts';
import { startFeedPage } from '../feed/page.ts';

startFeedPage(readBoot<FeedBoot>());
