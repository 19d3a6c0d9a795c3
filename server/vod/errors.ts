// Why the control plane failed a VOD job itself (the node's own reasons come from media/vod/failure.ts).
import type { ClipError } from '../contracts/clips.ts';

export { VOD_CANCELLED } from '../../media/vod/failure.ts';

export const sourceMissing = (detail: string): ClipError => ({
  code: 'VOD_FAILED',
  message: { 'zh-CN': `找不到上传的视频文件：${detail}`, en: `The uploaded file could not be found: ${detail}` },
});

export const nodesLost = (attempts: number): ClipError => ({
  code: 'VOD_FAILED',
  message: {
    'zh-CN': `转码服务器${attempts}次中断，未能完成转码`,
    en: `The transcode was interrupted ${attempts} times (its media node went away) and was given up`,
  },
});
