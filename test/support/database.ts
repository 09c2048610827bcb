import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
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

/**
 * Two transactions where the second must wait for the first: `first` runs in one, `second` starts in
 * the other and is seen waiting for a lock, then the first commits, then the second finishes and
 * commits. Returns what `second` gave; throws when the second never waited (no interleaving tested).
 */
export async function secondWaitsForFirst<T>(db: DataSource, first: (tx: EntityManager) => Promise<unknown>, second: (tx: EntityManager) => Promise<T>): Promise<T> {
  const [one, two] = [db.createQueryRunner(), db.createQueryRunner()];
  try {
    await one.startTransaction();
    await two.startTransaction();
    await first(one.manager);
    const pending = second(two.manager);
    pending.catch(() => undefined); // awaited below; not unhandled while the first commits
    if (!(await untilWaitingOnLock(db))) throw new Error('the second transaction never waited for the first one\'s lock');
    await one.commitTransaction();
    const result = await pending;
    await two.commitTransaction();
    return result;
  } finally {
    for (const runner of [one, two]) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}

/** Channels' prices read from their channel_prices rows, formats in order: what `channels.pricing` must copy. */
export async function priceRowsOf(db: DataSource, channelIds: string[]): Promise<Map<string, { format: string; priceMinor: number; currency: string }[]>> {
  const rows: { channel_id: string; format: string; price_minor: string; currency: string }[] = await db.query(
    `SELECT channel_id, format, price_minor, currency FROM channel_prices WHERE channel_id = ANY($1::uuid[]) ORDER BY channel_id, format`,
    [channelIds],
  );
  const byChannel = new Map<string, { format: string; priceMinor: number; currency: string }[]>();
  for (const row of rows) byChannel.set(row.channel_id, [...(byChannel.get(row.channel_id) ?? []), { format: row.format, priceMinor: Number(row.price_minor), currency: row.currency }]);
  return byChannel;
}

/** The tables of the public schema with a row whose JSON holds `text` (case-insensitive): for "leaves no trace" checks. */
export async function tablesContaining(db: DataSource, text: string): Promise<string[]> {
  const tables: { table_name: string }[] = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  const found: string[] = [];
  for (const { table_name } of tables) {
    const [hits] = await db.query(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE row_to_json(t)::text ILIKE $1`, [`%${text}%`]);
    if (hits.n > 0) found.push(table_name);
  }
  return found;
}
