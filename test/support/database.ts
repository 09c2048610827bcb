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
