import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';

const names = new Map<string, string>();

/** One name per statement text, so the same text is prepared once per connection. */
function preparedName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `placard_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs one statement as a named prepared statement: each Postgres connection parses it once and,
 * after five executions, keeps its generic plan when that is priced no worse than the plans made for
 * the values, then only binds and executes it. For hot statements whose planning costs Postgres more
 * than their execution (CTEs like the booking's and the ledger's). A parameter the planner prices
 * blind, like a LIMIT, can make it plan every execution anew: write such values into the text. Given a DataSource (or a manager
 * outside a transaction) it runs on the pg pool under TypeORM; given the manager of a transaction,
 * on that transaction's connection. Errors are pg's own, with `code` and `constraint` on the error
 * itself, which the helpers in transaction.ts read as they read TypeORM's.
 */
export async function queryPrepared<T extends QueryResultRow>(target: DataSource | EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const query = { name: preparedName(text), text, values };
  const runner = target instanceof DataSource ? undefined : target.queryRunner;
  if (runner && !runner.isReleased) {
    const client = (await runner.connect()) as PoolClient;
    return (await client.query<T>(query)).rows;
  }
  const dataSource = target instanceof DataSource ? target : target.connection;
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return (await pool.query<T>(query)).rows;
}
