// Uploaded pictures (covers, channel avatars). Each upload is decoded, turned upright, cut to one
// 16:9 size and stored as a JPEG named by its id: a stored image never changes, so it caches forever.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { Static } from 'typebox';
import type { ImageSchema } from '../contracts/channels.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../http/errors.ts';
import { imageUrl } from '../broadcasts/links.ts';
import type { ImageRow, ImageStore } from './store.ts';

export type Image = Static<typeof ImageSchema>;

export const IMAGE_WIDTH = 1280;
export const IMAGE_HEIGHT = 720;

export class ImageService {
  readonly #store: ImageStore;
  readonly #dir: string;
  readonly #publicUrl: string;
  readonly #clock: Clock;

  constructor(store: ImageStore, options: { dataDir: string; publicUrl: string; clock: Clock }) {
    this.#store = store;
    this.#dir = join(options.dataDir, 'images');
    this.#publicUrl = options.publicUrl;
    this.#clock = options.clock;
  }

  #view(row: ImageRow): Image {
    return { id: row.id, url: imageUrl(this.#publicUrl, row.id), width: row.width, height: row.height };
  }

  /** Where the JPEG of image `id` lives (posters read covers from here). */
  path(id: string): string {
    return join(this.#dir, `${id}.jpg`);
  }

  async get(id: string): Promise<Image> {
    const row = await this.#store.byId(id);
    if (!row) throw new ApiError('IMAGE_NOT_FOUND', `No image ${id}`);
    return this.#view(row);
  }

  async upload(input: Buffer): Promise<Image> {
    let jpeg: { data: Buffer; info: OutputInfo };
    try {
      jpeg = await sharp(input, { failOn: 'error' })
        .rotate() // follow the EXIF orientation phones write instead of turning the pixels
        .resize(IMAGE_WIDTH, IMAGE_HEIGHT, { fit: 'cover' })
        .jpeg({ quality: 85, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
    } catch (err) {
      throw new ApiError('INVALID_IMAGE', `The file is not a picture Linbo can read (${(err as Error).message})`);
    }
    const id = randomUUID();
    await mkdir(this.#dir, { recursive: true });
    await writeFile(this.path(id), jpeg.data);
    try {
      return this.#view(await this.#store.insert({ id, width: jpeg.info.width, height: jpeg.info.height, createdAt: this.#clock.now() }));
    } catch (err) {
      await rm(this.path(id), { force: true });
      throw err;
    }
  }
}
