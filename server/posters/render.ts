// The e-poster: an SVG composed from the broadcast's facts and rasterised by sharp (librsvg + pango,
// which find Noto Sans CJK through fontconfig). Pure apart from sharp: the same data renders the same PNG.
import sharp from 'sharp';
import QRCode from 'qrcode';
import { formatStart, kindLabel, type Lang } from '../contracts/display.ts';
import type { Broadcast } from '../contracts/broadcasts.ts';
import { escapeXml, fitLine, textWidth, wrapText } from './text.ts';

export interface PosterData {
  title: string;
  kind: Broadcast['kind'];
  channelName: string;
  theme: string;
  hostName: string | null;
  scheduledStart: string;
  /** What the QR code opens. */
  countdownUrl: string;
  /** The cover image file's bytes (any format sharp reads), or null. */
  cover: Buffer | null;
  timeZone: string;
  lang: Lang;
  /** Decides whether the year is printed. */
  now: Date;
}

/**
 * `phone`: 1080×1920, a full-screen picture to send in WeChat groups. `a4`: 1240×1754, A4 at 150 dpi:
 * noticeboard posters are read from a metre away, where 150 dpi is finer than the eye resolves, and the
 * file stays a quarter of the 300 dpi size, quick to render, send and print from an office PC.
 */
export const POSTER_SIZES = { phone: { width: 1080, height: 1920 }, a4: { width: 1240, height: 1754 } } as const;
export type PosterFormat = keyof typeof POSTER_SIZES;

/** Everything is laid out on a canvas 1080 units wide; the SVG scales it to the format's pixels. */
const W = 1080;
const MARGIN = 90;
const CONTENT = W - 2 * MARGIN;
const FONT = 'Noto Sans CJK SC';
const GOLD = '#f6c453';
const CREAM = '#fff1cc';

interface Geometry {
  height: number;
  cover: { width: number; height: number };
  qr: number;
  bottom: number;
}

const GEOMETRY: Record<PosterFormat, Geometry> = {
  phone: { height: 1920, cover: { width: CONTENT, height: Math.round((CONTENT * 9) / 16) }, qr: 400, bottom: 90 },
  a4: { height: Math.round((W * POSTER_SIZES.a4.height) / POSTER_SIZES.a4.width), cover: { width: 640, height: 360 }, qr: 300, bottom: 70 },
};

const CAPTION: Record<Lang, string> = { 'zh-CN': '扫码观看直播', en: 'Scan to watch' };
const hostLabel = (kind: Broadcast['kind'], lang: Lang) =>
  lang === 'en' ? (kind === 'lecture' ? 'Speaker: ' : 'Host: ') : kind === 'lecture' ? '主讲：' : '主持：';
const startsLabel = (when: string, lang: Lang) => (lang === 'en' ? `Starts ${when}` : `${when} 开播`);

/** A one-line detail, shrunk (to 70 % at most) rather than cut when it is too wide, ellipsised beyond that. */
function detail(line: string, maxSize: number, fill: string, bold = false) {
  const size = Math.max(Math.round(maxSize * 0.7), Math.min(maxSize, Math.floor(CONTENT / textWidth(line))));
  return { size, fill, bold, line: fitLine(line, CONTENT / size) };
}

const text = (x: number, y: number, size: number, fill: string, content: string, extra = '') =>
  `<text x="${x}" y="${y}" font-size="${size}" fill="${fill}" text-anchor="middle"${extra}>${escapeXml(content)}</text>`;

/** Dark modules as one path in module units; the quiet zone (4 modules, as the standard asks) is the white square around it. */
function qrCode(url: string, x: number, y: number, size: number): string {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const unit = size / (modules.size + 2 * quiet);
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
  }
  return `<rect x="${x}" y="${y}" width="${size}" height="${size}" rx="12" fill="#fff"/>` +
    `<path d="${d}" fill="#000" shape-rendering="crispEdges" transform="translate(${x} ${y}) scale(${unit})"/>`;
}

/** The largest title size whose lines fit in `maxHeight`; the smallest size, ellipsised, when none does. */
function fitTitle(title: string, maxHeight: number): { size: number; lines: string[] } {
  const sizes = [96, 84, 72, 64, 56];
  for (const size of sizes) {
    const lines = Math.floor(maxHeight / (size * 1.25));
    if (lines < 1) continue;
    const wrapped = wrapText(title, CONTENT / size, lines);
    if (!wrapped.truncated) return { size, lines: wrapped.lines };
  }
  const size = sizes[sizes.length - 1]!;
  return { size, lines: wrapText(title, CONTENT / size, Math.max(1, Math.floor(maxHeight / (size * 1.25)))).lines };
}

async function coverDataUri(cover: Buffer, box: { width: number; height: number }): Promise<string> {
  // Resized here at twice the layout size (the A4 canvas is scaled up by 1.15) so librsvg only scales down.
  const jpeg = await sharp(cover).rotate().resize(box.width * 2, box.height * 2, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

async function posterSvg(data: PosterData, format: PosterFormat): Promise<string> {
  const g = GEOMETRY[format];
  const { lang } = data;
  const parts: string[] = [];
  let y = 130;
  parts.push(text(W / 2, y, 44, GOLD, fitLine(data.channelName, CONTENT / 44)));
  const kind = kindLabel(data.kind, lang);
  const pillWidth = textWidth(kind) * 34 + 56;
  parts.push(`<rect x="${(W - pillWidth) / 2}" y="${y + 30}" width="${pillWidth}" height="56" rx="28" fill="${GOLD}"/>`);
  parts.push(text(W / 2, y + 70, 34, '#7f0000', kind, ' font-weight="700"'));
  y += 120;
  if (data.cover) {
    const { width, height } = g.cover;
    const x = (W - width) / 2;
    parts.push(`<clipPath id="cover"><rect x="${x}" y="${y}" width="${width}" height="${height}" rx="24"/></clipPath>`);
    parts.push(`<image href="${await coverDataUri(data.cover, g.cover)}" x="${x}" y="${y}" width="${width}" height="${height}" preserveAspectRatio="xMidYMid slice" clip-path="url(#cover)"/>`);
    parts.push(`<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="24" fill="none" stroke="${GOLD}" stroke-width="4"/>`);
    y += height;
  }
  y += 40;

  const qrTop = g.height - g.bottom - 60 - g.qr;
  const when = formatStart(data.scheduledStart, { timeZone: data.timeZone, lang, now: data.now });
  const details = [
    data.theme ? detail(data.theme, 44, CREAM) : null,
    detail(startsLabel(when, lang), 60, GOLD, true),
    data.hostName ? detail(hostLabel(data.kind, lang) + data.hostName, 44, CREAM) : null,
  ].filter((d) => d !== null);
  const detailsHeight = details.reduce((h, d) => h + d.size * 1.6, 0) + 24;
  const available = qrTop - 40 - y;
  const title = fitTitle(data.title, available - detailsHeight);
  // What is left over goes above and below the block, so a short title does not leave a hole over the QR code.
  y += Math.max(0, (available - detailsHeight - title.lines.length * title.size * 1.25) / 2);
  for (const line of title.lines) {
    y += title.size * 1.25;
    parts.push(text(W / 2, y - title.size * 0.25, title.size, '#fff', line, ' font-weight="700"'));
  }
  y += 24;
  for (const d of details) {
    y += d.size * 1.6;
    parts.push(text(W / 2, y - d.size * 0.45, d.size, d.fill, d.line, d.bold ? ' font-weight="700"' : ''));
  }

  parts.push(qrCode(data.countdownUrl, (W - g.qr) / 2, qrTop, g.qr));
  parts.push(text(W / 2, g.height - g.bottom, 40, CREAM, CAPTION[lang]));

  const { width, height } = POSTER_SIZES[format];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${W} ${g.height}">
<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#c62828"/><stop offset="1" stop-color="#7f0000"/></linearGradient></defs>
<rect width="${W}" height="${g.height}" fill="url(#bg)"/>
<rect x="28" y="28" width="${W - 56}" height="${g.height - 56}" rx="20" fill="none" stroke="${GOLD}" stroke-width="4"/>
<g font-family="${FONT}">${parts.join('\n')}</g>
</svg>`;
}

/** The poster as a PNG of exactly POSTER_SIZES[format]. */
export async function renderPoster(data: PosterData, format: PosterFormat = 'phone'): Promise<Buffer> {
  const svg = await posterSvg(data, format);
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();
}
