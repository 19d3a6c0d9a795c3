// /console/clips (视频): upload a recorded clip, then follow it through transcoding and review.
import { t } from '../lib/i18n.ts';
import { h } from '../lib/dom.ts';
import { loadChannels, noChannelView } from '../lib/form.ts';
import type { ViewContext } from '../lib/router.ts';
import { heading } from '../lib/ui.ts';
import { clipList } from './clips-list.ts';
import { uploadCard } from './clips-upload.ts';

export async function clipsView(ctx: ViewContext): Promise<Node> {
  const channels = await loadChannels();
  if (!channels.length) return noChannelView(t('clips.title'));
  const list = clipList(channels, ctx.me.role !== 'host');
  return h('section', { class: 'clips-page' }, heading(t('clips.title')), uploadCard(channels, list.refresh), list.el);
}
