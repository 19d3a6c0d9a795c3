// Posters for published broadcasts, rendered once per content and kept until what they show changes.
// The cache key is a hash of everything printed (the broadcast's version, but also its channel's and
// host's names, which change without bumping the broadcast's version) so a poster is never stale.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BroadcastService } from '../broadcasts/service.ts';
import type { ImageService } from '../images/service.ts';
import { formatStart, type Lang } from '../contracts/display.ts';
import type { Clock } from '../clock.ts';
import { PosterCache } from './cache.ts';
import { renderPoster, type PosterData, type PosterFormat } from './render.ts';


/** Phone posters are ~150 KB, A4 ~200 KB: this keeps a few hundred. */
const CACHE_BYTES = 64 * 1024 * 1024;

export interface Poster {
  etag: string;
  filename: string;
  png(): Promise<Buffer>;
}

export class PosterService {
  readonly #broadcasts: Pick<BroadcastService, 'getPublic'>;
  readonly #covers: Pick<ImageService, 'path'>;
  readonly #clock: Clock;
  readonly #timeZone: string;
  readonly #cache = new PosterCache(CACHE_BYTES);

  constructor(broadcasts: Pick<BroadcastService, 'getPublic'>, covers: Pick<ImageService, 'path'>, options: { clock: Clock; timezone: string }) {
    this.#broadcasts = broadcasts;
    this.#covers = covers;
    this.#clock = options.clock;
    this.#timeZone = options.timezone;
  }

  /** Describes the poster without rendering it, so a conditional request is answered from the ETag alone. */
  async poster(id: string, format: PosterFormat, lang: Lang): Promise<Poster> {
    const b = await this.#broadcasts.getPublic(id);
    const now = this.#clock.now();
    const printed = {
      title: b.title,
      kind: b.kind,
      channelName: b.channel.name,
      theme: b.theme,
      hostName: b.host?.displayName ?? null,
      scheduledStart: b.scheduledStart,
      countdownUrl: b.links.countdown,
      // The year is printed only outside the current one, so the wording belongs in the key.
      when: formatStart(b.scheduledStart, { timeZone: this.#timeZone, lang, now }),
      coverImageId: b.coverImageId,
      format,
      lang,
    };
    const hash = createHash('sha256').update(JSON.stringify(printed)).digest('base64url').slice(0, 16);
    const key = `${b.id}:${hash}`;
    return {
      etag: `"v${b.version}-${format}-${lang === 'en' ? 'en' : 'zh'}-${hash}"`,
      filename: `${b.title}-${format}.png`,
      png: () =>
        this.#cache.get(key, async () => {
          const data: PosterData = { ...printed, cover: await this.#cover(b.coverImageId), timeZone: this.#timeZone, now };
          return renderPoster(data, format);
        }),
    };
  }

  /** A cover whose file is gone (deleted by hand, a restore without media) leaves the poster without one. */
  async #cover(imageId: string | null): Promise<Buffer | null> {
    if (!imageId) return null;
    try {
      return await readFile(this.#covers.path(imageId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
