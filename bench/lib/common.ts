import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { dropDatabase } from '#libs/database';
import { migrate } from '../../scripts/migrate';

export const DIST = join(__dirname, '..', '..');
export const BASE_DB = process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const runId = randomBytes(3).toString('hex');

export const log = (line: string): void => {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fresh, migrated database for one benchmark; `drop` removes it. With BENCH_KEEP_DB set (for
 * iterating on one benchmark, never for the figures of a full run) the database has a fixed name, is
 * migrated rather than created anew, and outlives the run, so that a benchmark can skip its seed.
 */
export async function freshDatabase(name: string): Promise<{ url: string; kept: boolean; drop: () => Promise<void> }> {
  const kept = Boolean(process.env.BENCH_KEEP_DB);
  const url = `${BASE_DB}/placard_bench_${name}_${kept ? 'kept' : runId}`;
  await migrate(url, () => undefined);
  return { url, kept, drop: () => (kept ? Promise.resolve() : dropDatabase(url).catch(() => undefined)) };
}

export async function pgClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The env every Placard process of a benchmark gets. */
export function baseEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PLACARD_DEV: 'true',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `placard-bench-${runId}`,
    PAYMENTS_PROVIDER: 'sandbox',
    RATE_LIMIT_PER_MINUTE: '100000000',
    TELEGRAM_LIMITS: 'false',
    ...extra,
  };
}

export interface Child {
  name: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node dist/<script>` with its own env; output is kept and shown only on failure. */
export function startNode(name: string, script: string, env: Record<string, string>, args: string[] = []): Child {
  const proc = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(DIST, script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${chunk.toString()}`);
    output = (output + chunk.toString()).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  proc.on('exit', (code, signal) => {
    if (code !== 0 && code !== null && !stopping) log(`${name} exited with ${code}: ${output}`);
    if (signal && !stopping) log(`${name} killed by ${signal}`);
  });
  let stopping = false;
  return {
    name,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        stopping = true;
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** Polls a URL until it answers 2xx. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${url}: ${last}`);
}

let portCounter = 0;
/** Ports for the child processes: a random base per run so parallel runs do not clash. */
export function freePort(): number {
  return 20_000 + (parseInt(runId, 16) % 20_000) + portCounter++;
}

export async function json<T = any>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function expectStatus<T = any>(what: string, result: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const { status: got, body } = await result;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/** Runs `work` over items with at most `concurrency` in flight. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const index = next++;
        if (index >= items.length) return;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

/** The seeded PRNG of libs/topics (mulberry32), so seeded data is the same every run. */
export { createRandom as prng } from '#libs/topics';

/** Deletes this run's Redis keys (queues and rate-limit counters under its QUEUE_PREFIX). */
export async function dropRedisKeys(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const IORedis = require('ioredis');
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `placard-bench-${runId}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
