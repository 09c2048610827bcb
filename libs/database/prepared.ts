import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs one statement, outside any transaction, as a named prepared statement on the pg pool under
 * TypeORM: each connection parses and plans it once, then only binds and executes it. For hot
 * statements whose planning costs Postgres more than their execution (the booking's CTEs). A name
 * must always go with the same text. Errors are pg's own (code and constraint on the error itself,
 * which the helpers in transaction.ts read as they read TypeORM's).
 */
export async function queryPrepared<T extends QueryResultRow>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const result = await pool.query<T>({ name, text, values });
  return result.rows;
}
