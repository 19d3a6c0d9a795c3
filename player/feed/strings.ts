// Every word the channel feed, submission and clip pages show, in Chinese and English. `en` is typed
// from `zh`, so a string missing from one table does not compile. {n} is a number.
import type { Lang } from '../../server/contracts/display.ts';

const zh = {
  brand: '邻播',
  otherLanguage: 'English',
  follow: '关注',
  following: '已关注',
  followers: '{n} 人关注',
  upcoming: '即将开播',
  liveNow: '直播中',
  watchLive: '进入直播',
  countdown: '看倒计时',
  replay: '回放',
  watchReplay: '观看回放',
  like: '点赞',
  likes: '{n}',
  views: '{n} 次播放',
  tapForSound: '点击开启声音',
  empty: '这里还没有视频。',
  swipeHint: '向上滑动看视频',
  submit: '我要投稿',
  loading: '正在加载…',
  offline: '网络不稳定，请稍后再试。',
  noChannel: '找不到这个频道',
  noChannelNote: '链接可能有误，请向社区工作人员确认。',
  noClip: '找不到这个视频',
  noClipNote: '视频可能还在审核中，或者已被删除。',
  backToChannel: '返回频道',
  notPublished: '这个视频还没有发布，只有您自己能看到这一页。',
  // Submission page
  submitTitle: '投稿视频',
  submitNote: '发送您拍的短视频（不超过 {n} 分钟），工作人员审核通过后会出现在频道里。',
  videoTitle: '视频标题',
  displayName: '您的称呼',
  chooseFile: '选择视频',
  send: '发送',
  sending: '正在上传…',
  timeLeft: '还需约 {n}',
  tooLong: '这个视频有 {len}，超过了 {n} 分钟，请剪短后再发。',
  notVideo: '请选择一个视频文件。',
  needTitle: '请填写视频标题。',
  needName: '请填写您的称呼。',
  sent: '已收到，审核中',
  sentNote: '审核通过后会出现在频道里。您可以在下面查看审核结果。',
  mine: '我的投稿',
  noneYet: '您还没有投过稿。',
  stateInReview: '审核中',
  statePublished: '已发布',
  stateRejected: '未通过',
  reason: '原因：{r}',
  sendAnother: '再投一个',
  uploadFailed: '上传没有成功，请再试一次。',
  minutes: '{n} 分钟',
  seconds: '{n} 秒',
};

export type FeedStrings = Record<keyof typeof zh, string>;

const en: FeedStrings = {
  brand: 'Linbo',
  otherLanguage: '中文',
  follow: 'Follow',
  following: 'Following',
  followers: '{n} followers',
  upcoming: 'Coming up',
  liveNow: 'Live now',
  watchLive: 'Watch live',
  countdown: 'Countdown',
  replay: 'Replay',
  watchReplay: 'Watch the replay',
  like: 'Like',
  likes: '{n}',
  views: '{n} views',
  tapForSound: 'Tap for sound',
  empty: 'No videos here yet.',
  swipeHint: 'Swipe up for the videos',
  submit: 'Send a video',
  loading: 'Loading…',
  offline: 'The connection is unsteady; please try again later.',
  noChannel: 'We cannot find this channel',
  noChannelNote: 'The link may be wrong; ask your community office.',
  noClip: 'We cannot find this video',
  noClipNote: 'It may still be in review, or it has been removed.',
  backToChannel: 'Back to the channel',
  notPublished: 'This video is not published yet; only you can see this page.',
  submitTitle: 'Send a video',
  submitNote: 'Send a short video you made (up to {n} minutes); it appears in the channel once staff have reviewed it.',
  videoTitle: 'Title',
  displayName: 'Your name',
  chooseFile: 'Choose a video',
  send: 'Send',
  sending: 'Uploading…',
  timeLeft: 'about {n} left',
  tooLong: 'This video is {len} long, more than {n} minutes. Please shorten it and try again.',
  notVideo: 'Please choose a video file.',
  needTitle: 'Please give the video a title.',
  needName: 'Please say who you are.',
  sent: 'Received: in review',
  sentNote: 'It appears in the channel once approved. See the result below.',
  mine: 'My videos',
  noneYet: 'You have not sent any video yet.',
  stateInReview: 'In review',
  statePublished: 'Published',
  stateRejected: 'Not accepted',
  reason: 'Reason: {r}',
  sendAnother: 'Send another',
  uploadFailed: 'The upload did not go through; please try again.',
  minutes: '{n} min',
  seconds: '{n} s',
};

export const feedStrings = (lang: Lang): FeedStrings => (lang === 'en' ? en : zh);

export const fill = (text: string, values: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/** "2 分钟 5 秒" / "2 min 5 s": a duration residents read. */
export function spoken(t: FeedStrings, totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const m = Math.floor(s / 60);
  const parts = [m ? fill(t.minutes, { n: m }) : '', s % 60 || !m ? fill(t.seconds, { n: s % 60 }) : ''];
  return parts.filter(Boolean).join(' ');
}
