// Why a finished upload is not taken as a clip, in words a resident on a phone understands (Chinese
// first) and an operator can search for (English). The codes are in server/http/errors.ts.
import type { Bilingual } from '../contracts/clips.ts';

export type RefusalCode = 'UPLOAD_NOT_VIDEO' | 'UPLOAD_NO_VIDEO_STREAM' | 'UPLOAD_CORRUPT' | 'UPLOAD_TOO_LONG';

export interface Refusal {
  readonly code: RefusalCode;
  readonly messages: Bilingual;
}

/** 185 → ['3分5秒', '3 min 5 s']; whole minutes without seconds, under a minute in seconds. */
function lengths(seconds: number): [string, string] {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  const zh = `${m > 0 ? `${m}分${s > 0 ? '' : '钟'}` : ''}${s > 0 ? `${s}秒` : ''}`;
  const en = [m > 0 ? `${m} min` : '', s > 0 ? `${s} s` : ''].filter(Boolean).join(' ');
  return [zh || '0秒', en || '0 s'];
}

export const refusals = {
  notVideo: (): Refusal => ({
    code: 'UPLOAD_NOT_VIDEO',
    messages: { 'zh-CN': '这个文件不是视频，请选择手机或相机拍摄的视频文件。', en: 'This file is not a video. Choose a video recorded with a phone or camera.' },
  }),
  noVideoStream: (): Refusal => ({
    code: 'UPLOAD_NO_VIDEO_STREAM',
    messages: { 'zh-CN': '这个文件只有声音，没有画面，请选择带画面的视频。', en: 'This file has sound but no picture. Choose a video with a picture.' },
  }),
  corrupt: (): Refusal => ({
    code: 'UPLOAD_CORRUPT',
    messages: { 'zh-CN': '这个视频文件已损坏，无法播放，请重新导出或换一个文件。', en: 'This video file is damaged and cannot be played. Export it again or choose another file.' },
  }),
  tooLong: (seconds: number, maxSeconds: number): Refusal => {
    const [zhLength, enLength] = lengths(seconds);
    const [zhMax, enMax] = lengths(maxSeconds);
    return {
      code: 'UPLOAD_TOO_LONG',
      messages: {
        'zh-CN': `视频时长${zhLength}，超过了${zhMax}的上限，请剪短后再发送。`,
        en: `The video is ${enLength} long, more than the ${enMax} allowed. Trim it and send it again.`,
      },
    };
  },
} as const;
