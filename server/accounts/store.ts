import { asc, eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { accounts } from '../store/schema.ts';

export type AccountRow = typeof accounts.$inferSelect;
export type Role = AccountRow['role'];
export const ROLES = ['admin', 'editor', 'host'] as const satisfies readonly Role[];

export class AccountStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async byId(id: string): Promise<AccountRow | undefined> {
    const [row] = await this.#db.select().from(accounts).where(eq(accounts.id, id));
    return row;
  }

  async byUsername(username: string): Promise<AccountRow | undefined> {
    const [row] = await this.#db.select().from(accounts).where(eq(accounts.username, username));
    return row;
  }

  list(): Promise<AccountRow[]> {
    return this.#db.select().from(accounts).orderBy(asc(accounts.username));
  }

  async insert(values: typeof accounts.$inferInsert): Promise<AccountRow | undefined> {
    const [row] = await this.#db.insert(accounts).values(values).onConflictDoNothing().returning();
    return row;
  }

  async update(id: string, values: Partial<typeof accounts.$inferInsert>): Promise<AccountRow | undefined> {
    const [row] = await this.#db
      .update(accounts)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(accounts.id, id))
      .returning();
    return row;
  }
}
