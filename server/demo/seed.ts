// A newcomer's first look: on an empty database `npm start` seeds one community channel, a weekly
// red-studio lecture series and a gala tonight (or tomorrow), so the console and the countdown page
// have something real to show. Nothing is seeded once a channel exists. The demo channel also gets a
// test-signal event that the demo feed (live-feed.ts) makes live at every start.
import { DateTime } from 'luxon';
import type { Account } from '../accounts/service.ts';
import type { Services } from '../app.ts';
import type { Broadcast } from '../contracts/broadcasts.ts';

export interface DemoResult {
  /** The countdown page to open first, when there is a demo broadcast to show. */
  countdown: string | undefined;
  /** The demo community's channel page: its feed of clips and the link residents send videos from. */
  feed: string | undefined;
}

const DEMO_SLUG = 'demo-heping';

export async function seedDemo(services: Services): Promise<DemoResult> {
  const { channels, broadcasts, series, accounts, clock, config } = services;
  const existing = (await channels.list()).find((c) => c.slug === DEMO_SLUG);
  const feed = `${config.publicUrl}/channels/${DEMO_SLUG}`;
  if (existing) return { countdown: await nextCountdown(services, existing.id), feed };
  if ((await channels.list()).length > 0) return { countdown: undefined, feed: undefined };

  const admin = (await accounts.list()).find((a) => a.username === 'admin');
  if (!admin) return { countdown: undefined, feed: undefined };
  const channel = await channels.create({
    slug: DEMO_SLUG,
    name: '和平社区(示例)',
    description: '示例频道:每周五上午的红色直播间讲座和社区晚会。可以在控制台里修改或删除。',
  });

  const now = DateTime.fromJSDate(clock.now(), { zone: config.timezone });
  let gala = now.set({ hour: 19, minute: 0, second: 0, millisecond: 0 });
  if (gala <= now.plus({ minutes: 5 })) gala = gala.plus({ days: 1 });
  await broadcasts.create(admin, {
    channelId: channel.id,
    title: '和平社区邻里春晚',
    description: '社区居民自编自演的歌舞、戏曲和小品,欢迎邻居们一起观看、点赞、留言。',
    kind: 'gala',
    scheduledStart: gala.toUTC().toISO()!,
    durationMinutes: 120,
    theme: '邻里一家亲',
  });

  let friday = now.set({ weekday: 5, hour: 9, minute: 30, second: 0, millisecond: 0 });
  if (friday <= now) friday = friday.plus({ weeks: 1 });
  const month = (offset: number) => friday.plus({ months: offset }).toFormat('yyyy-MM');
  await series.create({
    channelId: channel.id,
    title: '红色直播间 · 周五讲堂',
    description: '每周五上午 9:30,45 分钟,请律师、医生和老师讲居民关心的事,并在直播中回答大家的提问。',
    kind: 'lecture',
    rrule: 'FREQ=WEEKLY;BYDAY=FR',
    firstStart: friday.toUTC().toISO()!,
    durationMinutes: 45,
    themes: { [month(0)]: '法律知识', [month(1)]: '健康生活', [month(2)]: '家庭教育' },
  });
  return { countdown: await nextCountdown(services, channel.id), feed };
}

export interface LiveDemo {
  broadcast: Broadcast;
  /** Who opens its ingest. */
  admin: Account;
}

/**
 * The broadcast the demo feed makes live: the demo channel's one `event`, scheduled a minute after the
 * first start; a fresh one when the last has ended or was cancelled. None without the demo channel.
 */
export async function liveDemoBroadcast(services: Services): Promise<LiveDemo | undefined> {
  const { channels, broadcasts, accounts, clock } = services;
  const channel = (await channels.list()).find((c) => c.slug === DEMO_SLUG);
  const admin = (await accounts.list()).find((a) => a.username === 'admin');
  if (!channel || !admin) return undefined;
  for (const state of ['live', 'scheduled'] as const) {
    const found = (await broadcasts.list(admin, { channelId: channel.id, state, limit: 500 })).find((b) => b.kind === 'event');
    if (found) return { broadcast: found, admin };
  }
  const broadcast = await broadcasts.create(admin, {
    channelId: channel.id,
    title: '邻播测试直播 · 测试信号',
    description: '一路由服务器自己生成的测试信号:彩条、当前时间和一个提示音。画面里的时钟和您手边的时钟相比,就是直播的延迟。',
    kind: 'event',
    scheduledStart: new Date(clock.now().getTime() + 60_000).toISOString(),
    durationMinutes: 60,
  });
  return { broadcast, admin };
}

async function nextCountdown(services: Services, channelId: string): Promise<string | undefined> {
  const upcoming = await services.broadcasts.list(null, { channelId, from: services.clock.now().toISOString(), limit: 20 });
  // The test-signal event is shown as live on its own line: the countdown is for a real programme.
  return upcoming.find((b) => b.kind !== 'event' && (b.state === 'scheduled' || b.state === 'live'))?.links.countdown;
}
