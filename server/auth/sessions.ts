import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { accounts, sessions } from '../store/schema.ts';
import type { AccountRow } from '../accounts/store.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opaque bearer tokens, stored hashed; the same token is the console's session cookie. */
export class SessionStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async open(accountId: string, now: Date, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.#db.insert(sessions).values({ tokenHash: hashToken(token), accountId, expiresAt, createdAt: now });
    return { token, expiresAt };
  }

  /** The live, enabled account a token belongs to. */
  async accountFor(token: string, now: Date): Promise<AccountRow | undefined> {
    const [row] = await this.#db
      .select({ account: accounts })
      .from(sessions)
      .innerJoin(accounts, eq(accounts.id, sessions.accountId))
      .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
    return row && !row.account.disabled ? row.account : undefined;
  }

  async revoke(token: string, now: Date): Promise<void> {
    await this.#db.update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, hashToken(token)));
  }
}
