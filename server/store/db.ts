// The database: PGlite in the data dir by default, PostgreSQL via `pg` when DATABASE_URL is set. Both
// speak the same SQL, so one Drizzle schema and one set of migrations serve both.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Store {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

function storeOf(db: Db, kind: Store['kind'], close: () => Promise<void>): Store {
  let closed = false;
  return {
    db,
    kind,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/** Wraps an open PGlite (tests hand in one loaded from a migrated image). */
export function pgliteStore(client: PGlite): Store {
  return storeOf(drizzlePglite(client, { schema }) as unknown as Db, 'pglite', () => client.close());
}

export function postgresStore(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return storeOf(drizzlePg(pool, { schema }) as unknown as Db, 'postgres', () => pool.end());
}

export async function migrateStore(store: Store): Promise<void> {
  if (store.kind === 'pglite') await migratePglite(store.db as never, { migrationsFolder: MIGRATIONS_DIR });
  else await migratePg(store.db as never, { migrationsFolder: MIGRATIONS_DIR });
}

/** Opens the configured database and applies pending migrations. */
export async function openStore(options: { databaseUrl: string | undefined; dataDir: string }): Promise<Store> {
  let store: Store;
  if (options.databaseUrl) {
    store = postgresStore(options.databaseUrl);
  } else {
    const dir = join(options.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    store = pgliteStore(await PGlite.create(dir));
  }
  try {
    await migrateStore(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
