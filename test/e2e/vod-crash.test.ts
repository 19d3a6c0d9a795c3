// Transcode jobs are durable (issue 7): a clip's job cut off by a crash of the service (SIGKILL of
// server/main.ts, with its media node) ends with it, is run again by the next start, and the clip reaches review.
// The graceful restart is vod-restart.test.ts; each in a file of its own: a 1080p transcode twice over takes most of tap's 300 s on a busy machine.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { transcodeOutlivesRestart } from '../helpers/service-restart.ts';

t.test('a transcode interrupted by a crash of the service (SIGKILL) is run again by the next start and the clip reaches review', (t) => transcodeOutlivesRestart(t, 'SIGKILL'));
