// A throwaway S3 server to try Linbo's S3 mode by hand: the same one-node Ceph radosgw the tests start
// (Debian packages radosgw, ceph-mon, ceph-osd; `npm test` installs them). Prints the settings to
// export, keeps running until Ctrl-C, then deletes everything it stored.
//   node scripts/s3-test-server.ts
import { startS3 } from '../test/helpers/s3.ts';

const s3 = await startS3();
console.log(`export S3_ENDPOINT=${s3.endpoint}
export S3_BUCKET=${s3.bucket}
export S3_ACCESS_KEY_ID=${s3.accessKeyId}
export S3_SECRET_ACCESS_KEY=${s3.secretAccessKey}
# the bucket is publicly readable with CORS for GET/HEAD, as docs/operations.md recommends; Ctrl-C stops and deletes it`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void s3.stop().then(() => process.exit(0));
  });
}
