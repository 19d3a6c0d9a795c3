// Transcode jobs are durable (issue 7): a clip's job interrupted by a restart of the service — server/main.ts
// as `npm start` runs it, with its media node — is run again by the next start, and the clip reaches review.
// Each case in a file of its own: a 1080p transcode twice over takes most of tap's 300 s on a busy machine.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { transcodeOutlivesRestart } from '../helpers/service-restart.ts';

t.test('a transcode interrupted by a restart of the service (SIGTERM) is run again and the clip reaches review', (t) => transcodeOutlivesRestart(t, 'SIGTERM'));
