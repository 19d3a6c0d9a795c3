import { ApiError } from '../http/errors.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import type { AccountRow, AccountStore, Role } from './store.ts';

/** What the API shows of an account: never the hash. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  role: row.role,
  disabled: row.disabled,
  createdAt: row.createdAt.toISOString(),
});

export class AccountService {
  readonly #store: AccountStore;
  constructor(store: AccountStore) {
    this.#store = store;
  }

  async list(): Promise<Account[]> {
    return (await this.#store.list()).map(toAccount);
  }

  async get(id: string): Promise<Account> {
    const row = await this.#store.byId(id);
    if (!row) throw new ApiError('ACCOUNT_NOT_FOUND');
    return toAccount(row);
  }

  async create(input: { username: string; displayName?: string; role: Role; password: string }): Promise<Account> {
    const row = await this.#store.insert({
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!row) throw new ApiError('USERNAME_TAKEN', `The username "${input.username}" is taken`);
    return toAccount(row);
  }

  async update(
    actorId: string,
    id: string,
    patch: { displayName?: string; role?: Role; password?: string; disabled?: boolean },
  ): Promise<Account> {
    if (actorId === id && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
      throw new ApiError('CANNOT_DISABLE_SELF');
    }
    const { password, ...rest } = patch;
    const row = await this.#store.update(id, {
      ...rest,
      ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
    });
    if (!row) throw new ApiError('ACCOUNT_NOT_FOUND');
    return toAccount(row);
  }

  /**
   * The first start creates `admin`. Returns the password when it was generated, so the process can
   * print it once; a configured password is never echoed.
   */
  async ensureAdmin(configured: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    if (await this.#store.byUsername('admin')) return { created: false };
    const password = configured ?? generatePassword();
    const row = await this.#store.insert({
      username: 'admin',
      displayName: '管理员',
      role: 'admin',
      passwordHash: await hashPassword(password),
    });
    if (!row) return { created: false }; // another replica created it first
    return configured ? { created: true } : { created: true, generatedPassword: password };
  }
}
