// Every URL a broadcast is reached at, absolute and built from PUBLIC_URL in one place: these are
// what goes into QR codes, WeChat groups and embeds, so they must never change shape.
import { liveMasterKey } from '../contracts/media.ts';

export interface BroadcastLinkSet {
  watch: string;
  embed: string;
  countdown: string;
  poster: string;
  ics: string;
  /** The WHIP endpoint (RFC 9725) publishers POST their SDP offer to. */
  whip: string;
  /** The studio page: the assigned host publishes from the browser's camera. */
  studio: string;
  /** The realtime channel's WebSocket (docs/realtime.md): same host, ws: or wss: after PUBLIC_URL's scheme. */
  channel: string;
}

export function broadcastLinks(publicUrl: string, id: string): BroadcastLinkSet {
  return {
    watch: `${publicUrl}/watch/${id}`,
    embed: `${publicUrl}/embed/${id}`,
    countdown: `${publicUrl}/countdown/${id}`,
    poster: `${publicUrl}/api/broadcasts/${id}/poster.png`,
    ics: `${publicUrl}/api/broadcasts/${id}/calendar.ics`,
    whip: `${publicUrl}/api/broadcasts/${id}/whip`,
    studio: `${publicUrl}/studio/${id}`,
    channel: `${publicUrl.replace(/^http/, 'ws')}/api/broadcasts/${id}/channel`,
  };
}

/** The master playlist, served from the media storage: live while the broadcast runs, the replay once it has ended. */
export const hlsLink = (mediaUrl: string, id: string) => `${mediaUrl}/${liveMasterKey(id)}`;
/** A premiere's master playlist, computed by the control plane from its clip's segments (server/premieres): live, then the replay. */
export const premiereHlsLink = (publicUrl: string, id: string) => `${publicUrl}/api/broadcasts/${id}/premiere/master.m3u8`;
export const seriesIcsLink = (publicUrl: string, id: string) => `${publicUrl}/api/series/${id}/calendar.ics`;
export const channelIcsLink = (publicUrl: string, id: string) => `${publicUrl}/api/channels/${id}/calendar.ics`;
export const imageUrl = (publicUrl: string, id: string) => `${publicUrl}/api/images/${id}.jpg`;
