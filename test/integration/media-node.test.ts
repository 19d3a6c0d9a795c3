// The media node as its own process: forked by the control plane, it registers over the IPC bus,
// reports its load, opens plain-RTP ingests on request, and exits cleanly when the control plane stops.
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

t.test('the media node starts, registers with its cores and keeps reporting its load', async (t) => {
  const ctx = await startApp(t);
  const node = await startMediaNode(t, ctx, { loadIntervalMs: 200 });
  const entry = ctx.services.mediaNodes.registry.nodes().find((n) => n.nodeId === node.nodeId)!;
  t.equal(entry.cores, 1, 'it runs the one mediasoup worker it was asked for');
  t.equal(entry.ip, '127.0.0.1');
  const firstSeen = entry.lastSeen;
  await until('a later load report arrives', () => entry.lastSeen > firstSeen);
  t.equal(entry.broadcasts, 0, 'no broadcast is on it yet');
  t.ok(entry.cpu >= 0, 'the load carries a CPU figure');
});

t.test('stopping the control plane closes the node, which exits with code 0', async (t) => {
  const ctx = await startApp(t);
  const node = await startMediaNode(t, ctx);
  await ctx.services.mediaNodes.close();
  t.same(await node.exited, { code: 0, signal: null });
});

t.test('an RTP ingest is opened on the node and asking again returns the same ports', async (t) => {
  const ctx = await startApp(t);
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const open = () => ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: {} });
  const first = await open();
  t.equal(first.statusCode, 200, first.body);
  const body = first.json();
  t.equal(body.ip, '127.0.0.1');
  t.equal(body.video.codec, 'H264');
  t.equal(body.video.payloadType, 102);
  t.equal(body.audio.codec, 'opus');
  t.not(body.video.port, body.video.rtcpPort, 'RTCP has a port of its own (no rtcp-mux)');
  const { min, max } = ctx.config.rtcPorts;
  const ports = [body.video.port, body.video.rtcpPort, body.audio.port, body.audio.rtcpPort];
  t.ok(ports.every((port) => port >= min && port <= max), `every port (${ports.join(', ')}) is in the configured range ${min}–${max}`);
  t.match(body.ffmpegCommand, new RegExp(`-ssrc ${body.video.ssrc} 'rtp://127\\.0\\.0\\.1:${body.video.port}\\?rtcpport=${body.video.rtcpPort}`));
  const again = (await open()).json();
  t.same([again.video.port, again.audio.port], [body.video.port, body.audio.port]);
  await until('the node reports the broadcast in its load', () => ctx.services.mediaNodes.registry.nodes()[0].broadcasts === 1);
});

t.test('a live broadcast whose media node dies ends after the grace period', async (t) => {
  const ctx = await startApp(t, { env: { LINBO_INGEST_GRACE_SECONDS: '1' } });
  const node = await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  t.equal((await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: {} })).statusCode, 200);
  t.equal((await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/start`, headers: admin })).json().state, 'live');
  process.kill(node.pid!, 'SIGKILL');
  t.equal((await node.exited).signal, 'SIGKILL');
  const ended = await until('the broadcast ends once the grace period has passed', async () => {
    const b = (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
    return b.state === 'ended' && b;
  });
  t.ok(ended.endedAt);
  t.equal(ended.endedReason, 'media-node-lost', 'it records why');
  t.same(ctx.services.mediaNodes.registry.nodes(), [], 'the dead node gets no new broadcasts');
});
