// Every word the resident pages show, in Chinese and English. `en` is typed from `zh`, so a string
// missing from one table does not compile.
import type { Lang } from '../../server/contracts/display.ts';

const zh = {
  brand: '邻播',
  otherLanguage: 'English',
  startsAt: '开播时间',
  countdownLabel: '距离开播还有',
  days: '天',
  hours: '时',
  minutes: '分',
  seconds: '秒',
  startingSoon: '马上开始，请稍候…',
  goingLive: '直播已开始，正在进入…',
  live: '直播进行中',
  playerComing: '直播正在进行。本页的播放器还在建设中，上线后即可在这里直接观看。',
  notStarted: '直播尚未开始',
  toCountdown: '查看开播倒计时',
  ended: '这场直播已结束',
  watchReplay: '观看回放',
  replayComing: '回放将随播放器一同上线。',
  cancelled: '这场直播已取消',
  cancelledNote: '如有疑问，请联系社区工作人员。',
  addToCalendar: '添加到日历',
  speaker: '主讲',
  host: '主持',
  offline: '网络不稳定，正在重新连接…',
  notFound: '找不到这场直播',
  notFoundNote: '链接可能有误，或者这场直播还没有发布。',
  tapForSound: '点击开启声音',
  backToLive: '回到直播',
  quality: '清晰度',
  qualityAuto: '自动',
  reconnecting: '网络不稳定，正在重新连接…',
  replay: '回放',
  replayPreparing: '回放正在准备中，请稍候…',
  tapToPlay: '点击播放',
  cannotPlay: '暂时无法播放，正在重试…',
};

export type Strings = Record<keyof typeof zh, string>;

const en: Strings = {
  brand: 'Linbo',
  otherLanguage: '中文',
  startsAt: 'Starts',
  countdownLabel: 'Starts in',
  days: 'days',
  hours: 'hrs',
  minutes: 'min',
  seconds: 'sec',
  startingSoon: 'Starting any moment now…',
  goingLive: 'We are live, taking you there…',
  live: 'Live now',
  playerComing: 'The broadcast is live. The player for this page is still being built; once it is ready you will watch right here.',
  notStarted: 'Not started yet',
  toCountdown: 'See the countdown',
  ended: 'This broadcast has ended',
  watchReplay: 'Watch the replay',
  replayComing: 'Replays arrive together with the player.',
  cancelled: 'This broadcast has been cancelled',
  cancelledNote: 'If you have questions, ask your community office.',
  addToCalendar: 'Add to calendar',
  speaker: 'Speaker',
  host: 'Host',
  offline: 'The connection is unsteady, trying again…',
  notFound: 'We cannot find this broadcast',
  notFoundNote: 'The link may be wrong, or the broadcast is not published yet.',
  tapForSound: 'Tap for sound',
  backToLive: 'Back to live',
  quality: 'Quality',
  qualityAuto: 'Auto',
  reconnecting: 'The connection is unsteady, reconnecting…',
  replay: 'Replay',
  replayPreparing: 'The replay is being prepared, please wait…',
  tapToPlay: 'Tap to play',
  cannotPlay: 'Cannot play right now, trying again…',
};

export const strings = (lang: Lang): Strings => (lang === 'en' ? en : zh);

/** The same page in the other language (the server reads `?lang=`). */
export function otherLanguageHref(lang: Lang, location: { pathname: string; search: string }): string {
  const query = new URLSearchParams(location.search);
  query.set('lang', lang === 'en' ? 'zh' : 'en');
  return `${location.pathname}?${query}`;
}

/** `href` keeping the language the resident chose with the switch (an explicit `?lang=`), if any. */
export function carryLang(href: string, location: { href: string; search: string }): string {
  const lang = new URLSearchParams(location.search).get('lang');
  if (!lang) return href;
  const url = new URL(href, location.href);
  url.searchParams.set('lang', lang);
  return url.href;
}
