import { DataSource } from 'typeorm';

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: { database: 'ok' | 'down'; redis: 'ok' | 'down' };
}

/** Postgres and Redis, each with a short timeout so a hung dependency cannot hang the probe. */
export async function checkHealth(dataSource: DataSource, pingRedis: () => Promise<string>): Promise<HealthReport> {
  const within = <T>(promise: Promise<T>): Promise<T> =>
    Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
  const [database, redis] = await Promise.all([
    within(dataSource.query('SELECT 1')).then(() => 'ok' as const, () => 'down' as const),
    within(pingRedis()).then(() => 'ok' as const, () => 'down' as const),
  ]);
  return { status: database === 'ok' && redis === 'ok' ? 'ok' : 'degraded', checks: { database, redis } };
}
