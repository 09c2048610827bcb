import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const candidate = error as { driverError?: { constraint?: string }; constraint?: string };
  return sqlState(error) === '23505' && (constraint === undefined || (candidate.driverError?.constraint ?? candidate.constraint) === constraint);
}

export function isExclusionViolation(error: unknown, constraint?: string): boolean {
  const candidate = error as { driverError?: { constraint?: string }; constraint?: string };
  return sqlState(error) === '23P01' && (constraint === undefined || (candidate.driverError?.constraint ?? candidate.constraint) === constraint);
}

export function isCheckViolation(error: unknown, constraint?: string): boolean {
  const candidate = error as { driverError?: { constraint?: string }; constraint?: string };
  return sqlState(error) === '23514' && (constraint === undefined || (candidate.driverError?.constraint ?? candidate.constraint) === constraint);
}

/**
 * Runs `work` in one transaction and retries it from the start on serialization failures and
 * deadlocks, so callers write each state change as if it were alone.
 */
export async function withTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: { attempts?: number } = {},
): Promise<T> {
  return withRetries(() => dataSource.transaction(work), options);
}

/**
 * Runs `work` again (up to `attempts` times, with a short random backoff) when Postgres reports a
 * serialization failure or a deadlock; `work` must be a whole transaction or a single statement.
 */
export async function withRetries<T>(work: () => Promise<T>, options: { attempts?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const state = sqlState(error);
      if (state === undefined || !RETRYABLE_SQLSTATES.has(state) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * Math.random()));
    }
  }
}

/** TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with [rows, rowCount]; this returns the rows. */
export async function updateReturning<T>(manager: Pick<EntityManager, 'query'>, sql: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
