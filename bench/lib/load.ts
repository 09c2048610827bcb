import { Agent, request as httpRequest } from 'node:http';
/* eslint-disable @typescript-eslint/no-explicit-any */
// autocannon ships no types; only the few fields used here are read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: any = require('autocannon');

export interface LoadResult {
  label: string;
  /** requests per second that got the expected status */
  okPerSecond: number;
  total: number;
  ok: number;
  bad: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  durationS: number;
  offeredRate: number | null;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export interface HttpLoad {
  label: string;
  url: string;
  /** requests per second for the whole run; omit for as fast as `connections` allow */
  rate?: number;
  connections: number;
  durationS: number;
  method?: 'GET' | 'POST';
  /** per request: path, headers and body */
  next: () => { path: string; headers?: Record<string, string>; body?: string };
  okStatus: number;
}

/** One autocannon run; latency from send to last byte, as autocannon measures it. */
export function httpLoad(options: HttpLoad): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let ok = 0;
    let bad = 0;
    const badSamples: string[] = [];
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: options.method ?? 'GET',
            setupRequest: (request: any) => {
              const next = options.next();
              return { ...request, path: next.path, headers: { ...request.headers, ...next.headers }, body: next.body };
            },
          },
        ],
      },
      (error: Error | null, result: any) => {
        if (error) return reject(error);
        if (badSamples.length > 0) process.stdout.write(`  ${options.label}: unexpected responses, e.g. ${badSamples.join(' | ')}\n`);
        const sorted = latencies.sort((a, b) => a - b);
        resolve({
          label: options.label,
          okPerSecond: ok / result.duration,
          total: ok + bad,
          ok,
          bad,
          errors: result.errors + result.timeouts,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted[sorted.length - 1] ?? NaN,
          durationS: result.duration,
          offeredRate: options.rate ?? null,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode === options.okStatus) ok++;
      else {
        bad++;
        if (badSamples.length < 3) badSamples.push(String(statusCode));
      }
    });
  });
}

/**
 * Calls `work` at a fixed arrival rate (open loop: a slow call does not hold back the next one),
 * with at most `maxInFlight` outstanding; latency from the call to its settling.
 */
export async function fixedRate(label: string, rate: number, durationS: number, work: (i: number) => Promise<unknown>, maxInFlight = 256): Promise<LoadResult> {
  const latencies: number[] = [];
  /** with BENCH_TAIL set: when each call was sent (ms into the run), to tell stalls from queueing */
  const sentAt: number[] | null = process.env.BENCH_TAIL ? [] : null;
  let ok = 0;
  let errors = 0;
  let inFlight = 0;
  let dropped = 0;
  const total = Math.round(rate * durationS);
  const started = performance.now();
  // settled calls are counted, not kept: a run's thousands of promises need not outlive their calls
  // (with --max-semi-space-size=32 this took the bench's own full GCs, pauses inside the latencies it
  // measures, from about one a second to none during the runs)
  let settle = (): void => {};
  const allSettled = new Promise<void>((resolve) => (settle = resolve));
  let done = false;
  const onSettled = (): void => {
    if (--inFlight === 0 && done) settle();
  };
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= maxInFlight) {
      dropped++;
      continue;
    }
    inFlight++;
    const t0 = performance.now();
    work(i).then(
      () => {
        latencies.push(performance.now() - t0);
        sentAt?.push(t0 - started);
        ok++;
        onSettled();
      },
      (error) => {
        if (errors++ === 0) process.stdout.write(`  ${label}: ${String(error)}\n`);
        onSettled();
      },
    );
  }
  done = true;
  if (inFlight === 0) settle();
  await allSettled;
  const elapsed = (performance.now() - started) / 1000;
  if (sentAt) printTail(label, latencies, sentAt);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    label,
    okPerSecond: ok / elapsed,
    total,
    ok,
    bad: dropped,
    errors,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    durationS: elapsed,
    offeredRate: rate,
  };
}

/** The slowest calls with when they were sent, and per second how many took over 30 ms. */
function printTail(label: string, latencies: number[], sentAt: number[]): void {
  const order = latencies.map((_, k) => k).sort((a, b) => latencies[b] - latencies[a]);
  const slowest = order.slice(0, 12).map((k) => `${(sentAt[k] / 1000).toFixed(2)}s:${latencies[k].toFixed(0)}ms`);
  const perSecond = new Map<number, number>();
  latencies.forEach((latency, k) => latency > 30 && perSecond.set(Math.floor(sentAt[k] / 1000), (perSecond.get(Math.floor(sentAt[k] / 1000)) ?? 0) + 1));
  process.stdout.write(`  ${label}: slowest ${slowest.join(' ')}\n  over 30 ms by second: ${JSON.stringify(Object.fromEntries(perSecond))}\n`);
}

export const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Server-side mean time per route from the API's own Prometheus histogram (sum / count), in ms. */
export async function serverMeanMs(apiUrl: string): Promise<Record<string, { count: number; meanMs: number }>> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^http_request_duration_seconds_(sum|count)\{([^}]*)\} ([0-9.e+-]+)/gm)) {
    const route = /route="([^"]*)"/.exec(match[2])?.[1] ?? '?';
    const method = /method="([^"]*)"/.exec(match[2])?.[1] ?? '?';
    const key = `${method} ${route}`;
    const target = match[1] === 'sum' ? sums : counts;
    target.set(key, (target.get(key) ?? 0) + Number(match[3]));
  }
  return Object.fromEntries([...counts].map(([key, count]) => [key, { count, meanMs: ((sums.get(key) ?? 0) / count) * 1000 }]));
}

/**
 * Fixed-rate HTTP with evenly spaced arrivals over keep-alive connections (node:http). autocannon's
 * `overallRate` splits the rate over its connections, whose timers fire together: bursts of
 * `connections` requests that inflate latency. This driver spreads the arrivals instead. It uses
 * node:http rather than fetch because the load generator shares the machine's two cores with what it
 * measures: with fetch the bench spent 1.4 ms of CPU per recommendations request, with node:http
 * 0.5-0.6 ms (its CPU line, 2026-11-22).
 */
export function httpFixedRate(options: Omit<HttpLoad, 'connections' | 'rate'> & { rate: number }): Promise<LoadResult> {
  let unexpected = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const send = (next: ReturnType<HttpLoad['next']>): Promise<number> =>
    new Promise((resolve, reject) => {
      const request = httpRequest(`${options.url}${next.path}`, { agent, method: options.method ?? 'GET', headers: next.headers }, (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.setTimeout(60_000, () => request.destroy(new Error('no response in 60 s')));
      request.end(next.body);
    });
  return fixedRate(
    options.label,
    options.rate,
    options.durationS,
    async () => {
      const status = await send(options.next());
      if (status !== options.okStatus) {
        if (unexpected++ === 0) process.stdout.write(`  ${options.label}: unexpected ${status}\n`);
        throw new Error(`status ${status}`);
      }
    },
    256,
  ).finally(() => agent.destroy());
}
