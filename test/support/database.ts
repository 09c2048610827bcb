import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, ensureDatabase } from '#libs/database';
import { ALL_ENTITIES } from '#libs/marketplace';

const BASE_URL = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  db: DataSource;
  url: string;
  /** closes the pool and drops the database */
  close(): Promise<void>;
}

/** A database of its own for one spec file, created and migrated from scratch. */
export async function freshDatabase(prefix = 'placard_test', poolSize = 4): Promise<TestDatabase> {
  const url = `${BASE_URL}/${prefix}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(url);
  const db = createDataSource(url, ALL_ENTITIES, poolSize);
  await db.initialize();
  await db.runMigrations();
  return {
    db,
    url,
    async close() {
      await db.destroy();
      await dropDatabase(url).catch(() => undefined);
    },
  };
}

/** Whether a session of this database is waiting for a lock (another transaction's row). */
async function someoneWaitsOnLock(db: DataSource): Promise<boolean> {
  const rows = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return rows[0].n > 0;
}

/** Waits (up to a second) until a session of this database waits for a lock: the interleaving a concurrency test sets up. */
export async function untilWaitingOnLock(db: DataSource): Promise<boolean> {
  for (let i = 0; i < 100 && !(await someoneWaitsOnLock(db)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return someoneWaitsOnLock(db);
}
