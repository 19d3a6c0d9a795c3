// A real S3-compatible server for tests: Ceph's RADOS Gateway from Debian over a one-node cluster
// (one monitor, one OSD on the memstore backend), everything in a temp dir on 127.0.0.1.
// See docs/decisions.md ("HLS storage") for why radosgw and not a mock; start-up takes ~1.5 s.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutBucketCorsCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from './ports.ts';
import { until } from './until.ts';

const run = promisify(execFile);

export interface TestS3 {
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** An SDK client with the test keys, for checking what landed (HeadObject, ListObjectsV2). */
  readonly client: S3Client;
  /** Kills the gateway only: requests fail with ECONNREFUSED while objects stay in the OSD. */
  stopGateway(): Promise<void>;
  /** Starts the gateway again and resolves once it answers HTTP. */
  startGateway(): Promise<void>;
  /** SIGSTOPs the gateway: connections open and requests hang, as with a wedged server. */
  freezeGateway(): void;
  thawGateway(): void;
  /** Kills every daemon and deletes the cluster's directory. Safe to call twice. */
  stop(): Promise<void>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

function cephConf(dir: string, monPort: number, gatewayPort: number): string {
  return `[global]
fsid = ${randomUUID()}
mon host = v2:127.0.0.1:${monPort}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
pid file = ${dir}/run/$name.pid
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
osd crush chooseleaf type = 0
paxos propose interval = 0.01
paxos min wait = 0.001
mon data avail crit = 0
# Clients resend an op stuck on a not-yet-active placement group once per tick (default 5 s):
# without this, one start in two waited 5 s for the gateway's first pools.
objecter tick interval = 0.2
[mon]
mon data = ${dir}/mon/$cluster-$id
[osd]
osd data = ${dir}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = 1073741824
osd fast shutdown = false
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:${gatewayPort}
rgw data = ${dir}/rgw
`;
}

/** Starts a cluster, creates a user with fixed keys and one bucket that anyone may read (as players do). */
export async function startS3(t?: Teardown, bucket = 'linbo-media'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'linbo-s3-'));
  for (const sub of ['run', 'log', 'mon/ceph-a', 'osd/ceph-0', 'rgw']) mkdirSync(join(dir, sub), { recursive: true });
  const [monPort, gatewayPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'ceph.conf');
  writeFileSync(conf, cephConf(dir, monPort, gatewayPort));
  const daemons = new Map<string, ChildProcess>();
  const daemon = (name: string, command: string, args: string[]) => {
    const log = openSync(join(dir, 'log', `${name}.out`), 'a');
    const child = spawn(command, ['-f', '-c', conf, ...args], { stdio: ['ignore', log, log] });
    closeSync(log);
    daemons.set(name, child);
  };
  const kill = async (name: string) => {
    const child = daemons.get(name);
    daemons.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  // A test file that crashes must not leave daemons behind.
  const killAllNow = () => {
    for (const child of daemons.values()) child.kill('SIGKILL');
  };
  process.once('exit', killAllNow);
  let stopped = false;
  let client: S3Client | undefined;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client?.destroy();
    process.off('exit', killAllNow);
    await Promise.all([...daemons.keys()].map(kill));
    rmSync(dir, { recursive: true, force: true });
  };
  t?.teardown(stop);

  const gatewayUp = () => until('radosgw answers HTTP', () => listening(gatewayPort), 30_000, 25);
  const startGateway = async () => {
    daemon('rgw', 'radosgw', ['-n', 'client.rgw']);
    await gatewayUp();
  };
  try {
    await run('monmaptool', ['--create', '--add', 'a', `v2:127.0.0.1:${monPort}`, '--fsid', randomUUID(), join(dir, 'monmap')]);
    await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap')]);
    daemon('mon', 'ceph-mon', ['-i', 'a']);
    await until('ceph-mon listens', () => listening(monPort), 15_000, 25);
    // --mkfs waits without limit for an unreachable monitor; a time limit turns that into an error.
    await run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs'], { timeout: 30_000 });
    daemon('osd', 'ceph-osd', ['-i', '0']);
    const accessKeyId = 'LINBOTESTACCESSKEY00';
    const secretAccessKey = 'linbo-test-secret-key-0000000000000000000';
    await Promise.all([
      startGateway(),
      run('radosgw-admin', ['-c', conf, 'user', 'create', '--uid=linbo', '--display-name=Linbo tests', `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`], { timeout: 30_000 }),
    ]);
    const endpoint = `http://127.0.0.1:${gatewayPort}`;
    const region = 'us-east-1';
    client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, requestChecksumCalculation: 'WHEN_REQUIRED' });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(publicReadPolicy(bucket)) }));
    await client.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['Range'], MaxAgeSeconds: 3600 }] },
      }),
    );
    const signalGateway = (signal: NodeJS.Signals) => daemons.get('rgw')?.kill(signal);
    return {
      endpoint,
      region,
      bucket,
      accessKeyId,
      secretAccessKey,
      client,
      stopGateway: () => kill('rgw'),
      startGateway,
      freezeGateway: () => signalGateway('SIGSTOP'),
      thawGateway: () => signalGateway('SIGCONT'),
      stop,
    };
  } catch (err) {
    const logs = readdirSync(join(dir, 'log'))
      .map((name) => `--- ${name}\n${readFileSync(join(dir, 'log', name), 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
    await stop();
    throw new Error(`the test S3 server did not start: ${String(err)}\n${logs}`);
  }
}

/**
 * The policy docs/clips.md recommends once clips' sources are uploaded into the bucket too: anyone may
 * GET what players fetch (live broadcasts, published clips), nobody but the keys the uploads/ sources.
 */
export function playersReadPolicy(bucket: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'PlayersRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/live/*`, `arn:aws:s3:::${bucket}/clips/*`] }],
  };
}

/** The policy docs/operations.md recommends: anyone may GET objects, only the keys may write. */
export function publicReadPolicy(bucket: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'PlayersRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
  };
}
