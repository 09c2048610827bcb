import { baseEnv, freePort, freshDatabase, log, pgClient, startNode, waitForHttp } from './lib/common';
import { LoadResult, fmt, httpFixedRate, httpLoad, serverMeanMs } from './lib/load';
import { ChannelSeed, insertChannels, seedAdvertisers, seedOwners } from './lib/seed';

export interface BookingFigures {
  runs: LoadResult[];
  ratioMax: number;
  /** against the raw server running the API's own statements: the framework's share alone */
  ratioSameSql: number;
  p99At500: number;
  rawP99At500: number;
  advertisers: number;
  channels: number;
}

const CHANNELS = 4000;
const ADVERTISERS = 20;
const PRICE = 1000;
const RATE = 500;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);

/**
 * POST /v1/placements over HTTP (the advertiser API in its own process) against a raw pg + node:http
 * server doing the same transaction shape, both against one database, alternately, at 500 req/s and
 * flat out; then flat out against the raw server running the API's own two statements. Every request
 * books a distinct (channel, slot): no collisions, so every answer is a 201.
 */
export async function benchBooking(): Promise<BookingFigures> {
  const database = await freshDatabase('booking');
  const db = await pgClient(database.url);
  const apiPort = freePort();
  const rawPort = freePort();
  const env = baseEnv(database.url, { ADVERTISER_API_PORT: String(apiPort) });
  const api = startNode('advertiser-api', 'apps/advertiser-api/src/main.js', env);
  const raw = startNode('raw-booking-server', 'bench/raw-booking-server.js', { DATABASE_URL: database.url, PORT: String(rawPort), POOL_SIZE: '10' });
  try {
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const rawUrl = `http://127.0.0.1:${rawPort}`;
    await Promise.all([waitForHttp(`${apiUrl}/health`), waitForHttp(`${rawUrl}/health`)]);

    log(`booking: seeding ${ADVERTISERS} advertisers (API) and ${CHANNELS} verified channels (SQL)`);
    const advertisers = await seedAdvertisers(apiUrl, ADVERTISERS, 1_000_000_000);
    const owners = await seedOwners(db, 50);
    const channels: ChannelSeed[] = Array.from({ length: CHANNELS }, (_, i) => ({
      ownerId: owners[i % owners.length],
      chatId: String(-1009000000000 - i),
      username: `bench_booking_${i}`,
      title: `Bench channel ${i}`,
      language: 'en',
      subscribers: 10_000 + i,
      topicProfile: null,
      topicIds: [],
      prices: { '1/24': PRICE, '2/48': PRICE * 2 },
    }));
    const channelIds = await insertChannels(db, channels);
    await db.query('ANALYZE');

    // request n books channel n % CHANNELS in slot floor(n / CHANNELS): top windows are 1 h, slots 2 h apart
    let n = 0;
    const base = Date.now() + 24 * 3600_000;
    const nextBooking = () => {
      const i = n++;
      const advertiser = advertisers[i % advertisers.length];
      return {
        advertiser,
        body: {
          channelId: channelIds[i % channelIds.length],
          creativeId: advertiser.creativeId,
          format: '1/24',
          startsAt: new Date(base + Math.floor(i / channelIds.length) * 2 * 3600_000).toISOString(),
        },
      };
    };
    const apiRequest = () => {
      const { advertiser, body } = nextBooking();
      return { path: '/v1/placements', headers: { 'content-type': 'application/json', authorization: `Bearer ${advertiser.apiKey}` }, body: JSON.stringify(body) };
    };
    const rawRequest = () => {
      const { advertiser, body } = nextBooking();
      return {
        path: '/book',
        headers: { 'content-type': 'application/json', 'x-advertiser': advertiser.id },
        body: JSON.stringify({ ...body, campaignId: advertiser.campaignId }),
      };
    };
    const rawSameSqlRequest = () => ({ ...rawRequest(), path: '/book-same-sql' });
    const run = (label: string, url: string, next: () => { path: string; headers?: Record<string, string>; body?: string }, rate: number | undefined, durationS: number) =>
      rate
        ? httpFixedRate({ label, url, next, rate, durationS, method: 'POST', okStatus: 201 })
        : httpLoad({ label, url, next, connections: 32, durationS, method: 'POST', okStatus: 201 });

    log('booking: warm-up (3 s each, not reported)');
    await run('warm raw', rawUrl, rawRequest, 300, 3);
    await run('warm api', apiUrl, apiRequest, 300, 3);

    const runs: LoadResult[] = [];
    for (const [label, url, next, rate] of [
      [`raw pg + node:http @ ${RATE}/s`, rawUrl, rawRequest, RATE],
      [`POST /v1/placements @ ${RATE}/s`, apiUrl, apiRequest, RATE],
      ['raw pg + node:http, max', rawUrl, rawRequest, undefined],
      ['POST /v1/placements, max', apiUrl, apiRequest, undefined],
      ["raw pg + node:http with the API's SQL, max", rawUrl, rawSameSqlRequest, undefined],
    ] as const) {
      log(`booking: ${label} for ${DURATION_S} s`);
      const result = await run(label, url, next, rate, DURATION_S);
      log(`  ${fmt(result.okPerSecond, 0)} ok/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, non-201 ${result.bad}, errors ${result.errors}`);
      runs.push(result);
      if (url === apiUrl) log(`  server-side mean per route so far: ${JSON.stringify(await serverMeanMs(apiUrl))}`);
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM placements`);
    log(`booking: ${rows[0].n} placements written in total`);
    return {
      runs,
      ratioMax: runs[3].okPerSecond / runs[2].okPerSecond,
      ratioSameSql: runs[3].okPerSecond / runs[4].okPerSecond,
      p99At500: runs[1].p99,
      rawP99At500: runs[0].p99,
      advertisers: ADVERTISERS,
      channels: CHANNELS,
    };
  } finally {
    await Promise.all([api.stop(), raw.stop()]);
    await db.end();
    await database.drop();
  }
}
