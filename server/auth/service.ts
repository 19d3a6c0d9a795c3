import { ApiError } from '../http/errors.ts';
import type { Clock } from '../clock.ts';
import { generatePassword, hashPassword, verifyPassword } from '../accounts/passwords.ts';
import { toAccount, type Account } from '../accounts/service.ts';
import type { AccountStore } from '../accounts/store.ts';
import type { SessionStore } from './sessions.ts';
import { LoginThrottle } from './throttle.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

// Verifying against a real hash when the account is unknown keeps the response time from telling
// which usernames exist.
let dummyHash: Promise<string> | undefined;
const unknownAccountHash = () => (dummyHash ??= hashPassword(generatePassword()));

export class AuthService {
  readonly #accounts: AccountStore;
  readonly #sessions: SessionStore;
  readonly #clock: Clock;
  readonly #perIp = new LoginThrottle({ max: 20, windowMs: 10 * 60_000 });
  readonly #perAccount = new LoginThrottle({ max: 5, windowMs: 10 * 60_000 });

  constructor(accounts: AccountStore, sessions: SessionStore, clock: Clock) {
    this.#accounts = accounts;
    this.#sessions = sessions;
    this.#clock = clock;
  }

  async login(username: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date; account: Account }> {
    const now = this.#clock.now().getTime();
    const wait = Math.max(this.#perIp.retryAfter(`ip:${ip}`, now), this.#perAccount.retryAfter(`u:${username}`, now));
    if (wait > 0) {
      throw new ApiError('TOO_MANY_LOGIN_ATTEMPTS', `Too many login attempts; try again in ${Math.ceil(wait / 1000)} s`, {
        retryAfter: Math.ceil(wait / 1000),
      });
    }
    const row = await this.#accounts.byUsername(username);
    const ok = await verifyPassword(row?.passwordHash ?? (await unknownAccountHash()), password);
    if (!row || !ok || row.disabled) {
      this.#perIp.fail(`ip:${ip}`, now);
      this.#perAccount.fail(`u:${username}`, now);
      throw new ApiError('INVALID_CREDENTIALS');
    }
    this.#perAccount.succeed(`u:${username}`);
    const session = await this.#sessions.open(row.id, this.#clock.now(), SESSION_TTL_MS);
    return { ...session, account: toAccount(row) };
  }

  async authenticate(token: string): Promise<Account | undefined> {
    const row = await this.#sessions.accountFor(token, this.#clock.now());
    return row && toAccount(row);
  }

  logout(token: string): Promise<void> {
    return this.#sessions.revoke(token, this.#clock.now());
  }
}
