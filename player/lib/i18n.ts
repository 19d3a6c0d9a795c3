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
  notStarted: '直播尚未开始',
  ended: '这场直播已结束',
  watchReplay: '观看回放',
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
  // The realtime panel (player/realtime/panel.ts); {n} is a number.
  rtViewersNow: '在线 {n} 人',
  rtPeak: '最高 {n} 人',
  rtTotal: '累计 {n} 人看过',
  rtLike: '点赞',
  rtLikes: '{n} 个赞',
  rtQuestions: '提问',
  rtNoQuestions: '还没有人提问，来问第一个吧。',
  rtName: '您的称呼（可以不填）',
  rtQuestion: '想问主讲人的问题',
  rtAsk: '提问',
  rtUpvote: '同问',
  rtUpvoted: '已同问',
  rtAnswered: '已回答',
  rtPinned: '置顶',
  rtInReview: '审核中',
  rtResident: '居民',
  rtChat: '聊天',
  rtChatText: '说点什么',
  rtSend: '发送',
  rtSlowMode: '慢速模式：每人每 {n} 秒可发一条。',
  rtConnecting: '正在连接互动…',
  rtBanned: '您已被禁止在这场直播中提问和聊天。',
  rtErrRATE_LIMITED: '操作太快了，请稍等几秒再试。',
  rtErrSLOW_MODE: '慢速模式：请 {n} 秒后再发。',
  rtErrWORD_FILTERED: '内容里有不允许的词语，请修改后再发。',
  rtErrCHAT_OFF: '聊天已关闭。',
  rtErrBROADCAST_OVER: '直播已结束，不能再提问或聊天。',
  rtErrQUESTION_NOT_FOUND: '这个问题已经不在了。',
  rtErrALREADY_UPVOTED: '您已经同问过这个问题了。',
  rtErrOTHER: '没有发送成功，请再试一次。',
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
  notStarted: 'Not started yet',
  ended: 'This broadcast has ended',
  watchReplay: 'Watch the replay',
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
  rtViewersNow: '{n} watching',
  rtPeak: 'peak {n}',
  rtTotal: '{n} in all',
  rtLike: 'Like',
  rtLikes: '{n} likes',
  rtQuestions: 'Questions',
  rtNoQuestions: 'No questions yet. Ask the first one.',
  rtName: 'Your name (optional)',
  rtQuestion: 'Your question for the speaker',
  rtAsk: 'Ask',
  rtUpvote: 'Me too',
  rtUpvoted: 'Me too ✓',
  rtAnswered: 'Answered',
  rtPinned: 'Pinned',
  rtInReview: 'In review',
  rtResident: 'Resident',
  rtChat: 'Chat',
  rtChatText: 'Say something',
  rtSend: 'Send',
  rtSlowMode: 'Slow mode: one message every {n} s each.',
  rtConnecting: 'Connecting…',
  rtBanned: 'You can no longer ask or chat in this broadcast.',
  rtErrRATE_LIMITED: 'Too fast; wait a few seconds and try again.',
  rtErrSLOW_MODE: 'Slow mode: you can send again in {n} s.',
  rtErrWORD_FILTERED: 'That contains a word not allowed here; please change it.',
  rtErrCHAT_OFF: 'Chat is off.',
  rtErrBROADCAST_OVER: 'The broadcast has ended; questions and chat are closed.',
  rtErrQUESTION_NOT_FOUND: 'That question is gone.',
  rtErrALREADY_UPVOTED: 'You already said "me too" to this one.',
  rtErrOTHER: 'That did not go through; please try again.',
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
