import { eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { images } from '../store/schema.ts';

export type ImageRow = typeof images.$inferSelect;

export class ImageStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async byId(id: string): Promise<ImageRow | undefined> {
    const [row] = await this.#db.select().from(images).where(eq(images.id, id));
    return row;
  }

  async insert(values: typeof images.$inferInsert): Promise<ImageRow> {
    const [row] = await this.#db.insert(images).values(values).returning();
    return row;
  }
}
