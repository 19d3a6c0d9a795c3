// A clean, migrated database per test, fast: PGlite loads a migrated image (dumped once per process)
// and PostgreSQL copies a migrated template database.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MIGRATIONS_DIR, migrateStore, pgliteStore, postgresStore, type Store } from '../../server/store/db.ts';

export type DbKind = 'pglite' | 'postgres';
/** Every store test runs on both: the embedded default and the scaled-out engine. */
export const DB_KINDS: readonly DbKind[] = ['pglite', 'postgres'];

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const migrationsHash = (() => {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) h.update(readFileSync(join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 12);
})();

let pgliteImage: Promise<File | Blob> | undefined;

async function migratedPgliteImage(): Promise<File | Blob> {
  const db = await PGlite.create();
  const store = pgliteStore(db);
  await migrateStore(store);
  const image = await db.dumpDataDir('none');
  await store.close();
  return image;
}

async function freshPglite(): Promise<Store> {
  pgliteImage ??= migratedPgliteImage();
  return pgliteStore(await PGlite.create({ loadDataDir: await pgliteImage }));
}

const withUrlDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
};

let template: Promise<string> | undefined;

/** A migrated template database, created once per migrations version by whichever test file gets there first. */
async function postgresTemplate(): Promise<string> {
  const name = `linbo_tpl_${migrationsHash}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(7426001)');
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      const building = `${name}_build_${process.pid}`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      const store = postgresStore(withUrlDatabase(POSTGRES_URL, building));
      await migrateStore(store);
      await store.close();
      await admin.query(`alter database ${building} rename to ${name}`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock(7426001)').catch(() => {});
    await admin.end();
  }
  return name;
}

/** A migrated database of its own, for processes that connect to it by URL; `drop` removes it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  template ??= postgresTemplate();
  const tpl = await template;
  const name = `linbo_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name} template ${tpl}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  return { url: withUrlDatabase(POSTGRES_URL, name), drop };
}

async function freshPostgres(): Promise<Store> {
  const database = await freshPostgresDatabase();
  const store = postgresStore(database.url);
  const close = store.close;
  return {
    ...store,
    close: async () => {
      await close();
      await database.drop();
    },
  };
}

export function freshStore(kind: DbKind): Promise<Store> {
  return kind === 'pglite' ? freshPglite() : freshPostgres();
}
