import type { Static } from 'typebox';
import type { Channel, CreateChannelBody, UpdateChannelBody } from '../contracts/channels.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../http/errors.ts';
import { channelIcsLink, imageUrl } from '../broadcasts/links.ts';
import type { ImageService } from '../images/service.ts';
import type { ChannelRow, ChannelStore } from './store.ts';

export class ChannelService {
  readonly #store: ChannelStore;
  readonly #images: ImageService;
  readonly #clock: Clock;
  readonly #publicUrl: string;

  constructor(store: ChannelStore, images: ImageService, options: { clock: Clock; publicUrl: string }) {
    this.#store = store;
    this.#images = images;
    this.#clock = options.clock;
    this.#publicUrl = options.publicUrl;
  }

  #view(row: ChannelRow): Channel {
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      avatarImageId: row.avatarImageId,
      avatarUrl: row.avatarImageId ? imageUrl(this.#publicUrl, row.avatarImageId) : null,
      reviewStaffUploads: row.reviewStaffUploads,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      links: { ics: channelIcsLink(this.#publicUrl, row.id) },
    };
  }

  async list(): Promise<Channel[]> {
    return (await this.#store.list()).map((row) => this.#view(row));
  }

  async get(id: string): Promise<Channel> {
    const row = await this.#store.byId(id);
    if (!row) throw new ApiError('CHANNEL_NOT_FOUND', `No channel ${id}`);
    return this.#view(row);
  }

  async create(input: Static<typeof CreateChannelBody>): Promise<Channel> {
    if (input.avatarImageId) await this.#images.get(input.avatarImageId);
    const now = this.#clock.now();
    const row = await this.#store.insert({ ...input, createdAt: now, updatedAt: now });
    if (!row) throw new ApiError('CHANNEL_SLUG_TAKEN', `The channel address "${input.slug}" is taken`);
    return this.#view(row);
  }

  async update(id: string, patch: Static<typeof UpdateChannelBody>): Promise<Channel> {
    if (patch.avatarImageId) await this.#images.get(patch.avatarImageId);
    const row = await this.#store.update(id, { ...patch, updatedAt: this.#clock.now() });
    if (!row) throw new ApiError('CHANNEL_NOT_FOUND', `No channel ${id}`);
    return this.#view(row);
  }

  async remove(id: string): Promise<void> {
    if (await this.#store.deleteIfEmpty(id)) return;
    await this.get(id);
    throw new ApiError('CHANNEL_NOT_EMPTY', 'Delete or move its broadcasts, series and clips first');
  }
}
