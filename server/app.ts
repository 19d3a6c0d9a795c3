// The application as a Fastify plugin: services are built once from the config and the store, then
// each domain module registers its routes. main.ts owns the process; tests register this same plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Store } from './store/db.ts';
import { Problem } from './contracts/common.ts';
import { AccountStore } from './accounts/store.ts';
import { AccountService } from './accounts/service.ts';
import { accountRoutes } from './accounts/routes.ts';
import { ImageStore } from './images/store.ts';
import { ImageService } from './images/service.ts';
import { imageRoutes } from './images/routes.ts';
import { ChannelStore } from './channels/store.ts';
import { ChannelService } from './channels/service.ts';
import { channelRoutes } from './channels/routes.ts';
import { BroadcastStore } from './broadcasts/store.ts';
import { BroadcastService } from './broadcasts/service.ts';
import { broadcastRoutes } from './broadcasts/routes.ts';
import { SeriesStore } from './series/store.ts';
import { SeriesService } from './series/service.ts';
import { seriesRoutes } from './series/routes.ts';
import { CalendarStore } from './calendar/store.ts';
import { CalendarService } from './calendar/service.ts';
import { calendarRoutes } from './calendar/routes.ts';
import { PosterService } from './posters/service.ts';
import { posterRoutes } from './posters/routes.ts';
import { SessionStore } from './auth/sessions.ts';
import { AuthService } from './auth/service.ts';
import { authRoutes } from './auth/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { assetRoutes } from './web/assets.ts';
import { consoleRoutes } from './web/console.ts';
import { residentPageRoutes } from './web/resident.ts';
import { clipPageRoutes } from './web/clip-pages.ts';
import { FeedStore } from './feed/store.ts';
import { FeedService } from './feed/service.ts';
import { feedRoutes } from './feed/routes.ts';
import { mediaRoutes } from './media/routes.ts';
import { MediaNodeService } from './media-nodes/service.ts';
import { mediaNodeRoutes } from './media-nodes/routes.ts';
import { whipRoutes } from './whip/routes.ts';
import { WhipService } from './whip/service.ts';
import { studioRoutes } from './studio/routes.ts';
import { StudioService } from './studio/service.ts';
import { studioPageRoutes } from './web/studio.ts';
import { RealtimeStore } from './realtime/store.ts';
import { AudienceStore } from './realtime/audience-store.ts';
import { RealtimeService } from './realtime/service.ts';
import { moderationRoutes } from './realtime/moderation-routes.ts';
import { RealtimeHub } from './realtime/hub.ts';
import { realtimeRoutes } from './realtime/routes.ts';
import { openMediaStorage } from '../media/storage/open.ts';
import { ClipSourceStore } from './uploads/sources.ts';
import { uploadRoutes } from './uploads/routes.ts';
import { VodJobService } from './vod/service.ts';
import { VodJobStore } from './vod/store.ts';
import { ClipService } from './clips/service.ts';
import { ClipStore } from './clips/store.ts';
import { clipRoutes } from './clips/routes.ts';
import { PremiereStore } from './premieres/store.ts';
import { PremiereRules } from './premieres/rules.ts';
import { PremiereService } from './premieres/service.ts';
import { PremiereScheduler } from './premieres/scheduler.ts';
import { premiereRoutes } from './premieres/routes.ts';
import type { MediaStorage } from '../media/storage/storage.ts';

export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly accounts: AccountService;
  readonly auth: AuthService;
  readonly images: ImageService;
  readonly channels: ChannelService;
  readonly broadcasts: BroadcastService;
  readonly series: SeriesService;
  readonly calendar: CalendarService;
  readonly posters: PosterService;
  readonly mediaNodes: MediaNodeService;
  readonly realtime: RealtimeService;
  /** The channels' sockets and fan-out; opened when the app registers, closed with it. */
  readonly realtimeHub: RealtimeHub;
  /** Published media (local disk or S3), as the media nodes write it: clips' files are read and removed here. Closed with the app. */
  readonly mediaStorage: MediaStorage;
  /** Clips' uploaded sources (the tus store: the data dir's uploads/ or the bucket's); closed with the app. */
  readonly clipSources: ClipSourceStore;
  /** Durable VOD transcode jobs (server/vod), dispatched to the media nodes; the clips hear their reports (attachSink). Closed with the app. */
  readonly vod: VodJobService;
  /** Recorded clips: created from finished uploads, moved by their VOD jobs, reviewed by editors. */
  readonly clips: ClipService;
  /** Premieres' playlists, computed from their clips' segments. */
  readonly premieres: PremiereService;
  /** Starts premieres at their second and ends them when their clip has played out; opened and closed with the app. */
  readonly premiereScheduler: PremiereScheduler;
  /** Channel feeds, follows, clip likes and views (residents' side of clips). */
  readonly feed: FeedService;
}

export function buildServices(config: Config, store: Store, clock: Clock, logger: Logger = pino({ level: 'silent' })): Services {
  const accountStore = new AccountStore(store.db);
  const { publicUrl } = config;
  const mediaUrl = config.s3 ? config.s3.publicUrl : `${publicUrl}/media`;
  const images = new ImageService(new ImageStore(store.db), { dataDir: config.dataDir, publicUrl, clock });
  const channels = new ChannelService(new ChannelStore(store.db), images, { clock, publicUrl });
  const clipSources = new ClipSourceStore(config);
  const realtime = new RealtimeService({ realtime: new RealtimeStore(store.db), audience: new AudienceStore(store.db) }, { clock });
  const premiereStore = new PremiereStore(store.db);
  const broadcasts = new BroadcastService(new BroadcastStore(store.db), {
    channels,
    images,
    accounts: accountStore,
    clock,
    publicUrl,
    mediaUrl,
    premieres: new PremiereRules(premiereStore),
  });
  const mediaStorage = openMediaStorage({ dataDir: config.dataDir, publicUrl, s3: config.s3 });
  const mediaNodes = new MediaNodeService({ broadcasts, clock, logger, graceMs: config.ingestGraceSeconds * 1000, staleMs: 30_000 });
  const vod = new VodJobService(new VodJobStore(store.db), { mediaNodes, sources: clipSources, clock, logger });
  const clips = new ClipService(new ClipStore(store.db), { channels, jobs: vod, sources: clipSources, storage: mediaStorage, clock, publicUrl, mediaUrl });
  vod.attachSink(clips);
  return {
    config,
    store,
    clock,
    accounts: new AccountService(accountStore),
    auth: new AuthService(accountStore, new SessionStore(store.db), clock),
    images,
    channels,
    broadcasts,
    series: new SeriesService(new SeriesStore(store.db), {
      channels,
      images,
      accounts: accountStore,
      clock,
      publicUrl,
      timezone: config.timezone,
      horizonWeeks: config.seriesHorizonWeeks,
    }),
    calendar: new CalendarService(new CalendarStore(store.db), { clock, publicUrl }),
    posters: new PosterService(broadcasts, images, { clock, timezone: config.timezone }),
    mediaNodes,
    vod,
    clips,
    realtime,
    realtimeHub: new RealtimeHub({ config, domain: realtime, broadcasts, logger }),
    mediaStorage,
    clipSources,
    premieres: new PremiereService({ broadcasts, store: premiereStore, storage: mediaStorage, clock, publicUrl }),
    premiereScheduler: new PremiereScheduler({ broadcasts, store: premiereStore, clock, logger }),
    feed: new FeedService(new FeedStore(store.db), { broadcasts, clips, clock, publicUrl, mediaUrl }),
  };
}

export const linboApp: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { config } = services;
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Linbo 邻播 API', version: '0.1.0', description: 'Broadcast scheduling, live streaming and short video for street offices and communities.' },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'linbo_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addSchema(Problem);
  app.addHook('onClose', async () => services.mediaStorage.close());
  app.addHook('onClose', async () => services.clipSources.close());
  app.addHook('onClose', async () => services.vod.close());
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 0 } });

  await app.register(healthRoutes, { store: services.store });
  await app.register(assetRoutes);
  await app.register(consoleRoutes, { timezone: config.timezone, publicUrl: config.publicUrl });
  await app.register(authRoutes, { auth: services.auth, secureCookies: config.publicUrl.startsWith('https:') });
  await app.register(accountRoutes, { accounts: services.accounts, auth: services.auth });
  await app.register(imageRoutes, { images: services.images, auth: services.auth });
  await app.register(channelRoutes, { channels: services.channels, auth: services.auth });
  await app.register(broadcastRoutes, { broadcasts: services.broadcasts, auth: services.auth });
  await app.register(clipRoutes, { clips: services.clips, auth: services.auth });
  await app.register(uploadRoutes, { auth: services.auth, channels: services.channels, clips: services.clips, sources: services.clipSources, db: services.store.db, clock: services.clock, config });
  await app.register(seriesRoutes, { series: services.series, auth: services.auth });
  await app.register(calendarRoutes, { calendar: services.calendar });
  await app.register(posterRoutes, { posters: services.posters });
  await app.register(residentPageRoutes, { broadcasts: services.broadcasts, clock: services.clock, timezone: config.timezone, pollMs: config.pagePollMs, embedFrameAncestors: config.embedFrameAncestors });
  await app.register(feedRoutes, { feed: services.feed, secureCookies: config.publicUrl.startsWith('https:') });
  await app.register(clipPageRoutes, { feed: services.feed, clock: services.clock, timezone: config.timezone, publicUrl: config.publicUrl, maxSubmissionSeconds: config.uploads.submissionMaxSeconds });
  await app.register(mediaRoutes, { dataDir: config.dataDir });
  await app.register(mediaNodeRoutes, { mediaNodes: services.mediaNodes, auth: services.auth });
  await app.register(whipRoutes, { whip: new WhipService(services) });
  await app.register(studioRoutes, { studio: new StudioService(services), auth: services.auth });
  await app.register(moderationRoutes, { realtime: services.realtime, auth: services.auth });
  await services.realtimeHub.open();
  await services.premiereScheduler.open();
  app.addHook('onClose', async () => {
    services.premiereScheduler.close();
    services.premieres.close();
  });
  await app.register(premiereRoutes, { premieres: services.premieres });
  await app.register(realtimeRoutes, {
    hub: services.realtimeHub,
    auth: services.auth,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    maxFrameBytes: config.realtime.maxFrameBytes,
  });
  await app.register(studioPageRoutes, { timezone: config.timezone, publicUrl: config.publicUrl });
};
