import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { REDIS_URL, baseEnv, expectStatus, freePort, freshDatabase, json, log, pgClient, pool, runId, sleep, startNode, waitForHttp } from './lib/common';
import { fixedRate, fmt, percentile } from './lib/load';
import { Advertiser, ChannelSeed, insertChannels, seedAdvertisers } from './lib/seed';

export interface StageFigure {
  stage: string;
  count: number;
  /** from the first to the last event of this stage */
  perSecond: number;
  lagP50: number;
  lagP99: number;
  lagWhat: string;
}

export interface DealRun {
  offeredPerSecond: number;
  deals: number;
  completed: number;
  notCompleted: { status: string; reason: string | null; n: number }[];
  /** completed deals per second of the offered window */
  cyclesPerSecond: number;
  bookP50: number;
  bookP99: number;
  stages: StageFigure[];
}

export interface DealFigures {
  runs: DealRun[];
  cyclesPerSecond: number;
  bullmqEmptyPerSecond: number;
  ratio: number;
  jobs: Record<string, { completed: number; failed: number }>;
  timeScale: number;
  checkpointsPerDeal: number;
}

const RATES = (process.env.BENCH_DEAL_RATES ?? '10,20,40').split(',').map(Number);
const WINDOW_S = Number(process.env.BENCH_DEAL_WINDOW_S ?? 15);
const DEALS = RATES.reduce((sum, rate) => sum + rate * WINDOW_S, 0);
/** a 1/24 format: 360 ms on top (publish must happen inside it, else missed_slot), 8.64 s in the feed */
const TIME_SCALE = '0.0001';
const FEED_MS = 1440 * 60_000 * Number(TIME_SCALE);
/** bookings start this far ahead: book and accept must both land before it */
const LEAD_MS = 3000;
const EMPTY_JOBS = 20_000;

/**
 * Whole deals through the real processes (sandbox, both APIs, worker, each its own process): at an
 * offered rate of R deals per second for WINDOW_S seconds, each deal is booked (advertiser API) and
 * accepted (channel API) to start LEAD_MS later, on a channel of its own; the worker publishes it,
 * verifies it at every checkpoint and settles it. Cycles per second = completed deals / WINDOW_S for
 * the best R. A worker that falls behind shows up as missed slots (published after the top window)
 * and lags per stage. Then BullMQ's own rate on empty jobs (concurrency 50).
 */
export async function benchDeals(): Promise<DealFigures> {
  const database = await freshDatabase('deals');
  const db = await pgClient(database.url);
  const ports = { sandbox: freePort(), advertiser: freePort(), channel: freePort(), worker: freePort() };
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const children = [startNode('sandbox', 'apps/sandbox/src/main.js', { SANDBOX_PORT: String(ports.sandbox), LOG_LEVEL: 'silent' })];
  try {
    await waitForHttp(`${sandboxUrl}/control/sandbox/platform`);
    const platform = (await json(`${sandboxUrl}/control/sandbox/platform`)).body as { botToken: string; botId: number; auditChatId: string };
    await expectStatus('limits off', json(`${sandboxUrl}/control/telegram/limits`, { method: 'PUT', body: { enabled: false } }), 200);
    const env = baseEnv(database.url, {
      ADVERTISER_API_PORT: String(ports.advertiser),
      CHANNEL_API_PORT: String(ports.channel),
      WORKER_PORT: String(ports.worker),
      TELEGRAM_API_ROOT: sandboxUrl,
      TELEGRAM_BOT_TOKEN: platform.botToken,
      TELEGRAM_AUDIT_CHAT_ID: platform.auditChatId,
      TELEGRAM_POLL_TIMEOUT_SECONDS: '1',
      TIME_SCALE,
      OUTBOX_RELAY_INTERVAL_MS: '20',
      SWEEP_INTERVAL_MS: '2000',
      OFFER_EXPIRY_HOURS: '100000',
      CHANNEL_RECHECK_MINUTES: '10000000',
    });
    children.push(startNode('advertiser-api', 'apps/advertiser-api/src/main.js', env));
    children.push(startNode('channel-api', 'apps/channel-api/src/main.js', env));
    await Promise.all([waitForHttp(`http://127.0.0.1:${ports.advertiser}/health`), waitForHttp(`http://127.0.0.1:${ports.channel}/health`)]);
    const apiUrl = `http://127.0.0.1:${ports.advertiser}`;
    const channelApiUrl = `http://127.0.0.1:${ports.channel}`;

    log(`deals: seeding ${DEALS} sandbox channels (bot is admin), verified in SQL; 10 advertisers, 1 owner`);
    const advertisers = await seedAdvertisers(apiUrl, 10, 1_000_000_000);
    const owner = await expectStatus('owner', json(`${channelApiUrl}/v1/accounts`, { body: { email: `bench-owner-${runId}@example.com`, name: 'Bench Owner' } }), 201);
    const ownerAuth = { authorization: `Bearer ${owner.apiKey}` };
    const chats = await pool(
      Array.from({ length: DEALS }, (_, i) => i),
      16,
      async (i) => {
        const channel = await expectStatus(
          'sandbox channel',
          json(`${sandboxUrl}/control/telegram/channels`, { body: { title: `Bench deals ${i}`, username: `bench_deals_${runId}_${i}`, memberCount: 5000 + i } }),
          201,
        );
        await expectStatus(
          'sandbox admin',
          json(`${sandboxUrl}/control/telegram/channels/${channel.id}/admins/${platform.botId}`, {
            method: 'PUT',
            body: { canPostMessages: true, canEditMessages: true, canDeleteMessages: true },
          }),
          200,
        );
        return { id: String(channel.id), username: `bench_deals_${runId}_${i}` };
      },
    );
    const seeds: ChannelSeed[] = chats.map((chat, i) => ({
      ownerId: owner.account.id,
      chatId: chat.id,
      username: chat.username,
      title: `Bench deals ${i}`,
      language: 'en',
      subscribers: 5000 + i,
      topicProfile: null,
      topicIds: [],
      prices: { '1/24': 1000 },
    }));
    const channelIds = await insertChannels(db, seeds);

    // the worker starts only now, so its first relay and sweep see a quiet database
    children.push(startNode('worker', 'apps/worker/src/main.js', env));
    await waitForHttp(`http://127.0.0.1:${ports.worker}/health`);

    const runs: DealRun[] = [];
    let offset = 0;
    for (const rate of RATES) {
      const count = rate * WINDOW_S;
      const ids = channelIds.slice(offset, offset + count);
      offset += count;
      runs.push(await dealRun(db, rate, ids, advertisers, apiUrl, channelApiUrl, ownerAuth));
    }
    const metrics = await (await fetch(`http://127.0.0.1:${ports.worker}/metrics`)).text();
    const jobs: Record<string, { completed: number; failed: number }> = {};
    for (const match of metrics.matchAll(/^jobs_(completed|failed)_total\{job="([^"]+)"[^}]*\} (\d+)/gm)) {
      jobs[match[2]] ??= { completed: 0, failed: 0 };
      jobs[match[2]][match[1] as 'completed' | 'failed'] = Number(match[3]);
    }
    log(`  jobs: ${JSON.stringify(jobs)}`);
    const { rows: cp } = await db.query(`SELECT avg(jsonb_array_length(checkpoints))::float AS n FROM placements WHERE published_at IS NOT NULL`);
    for (const child of children.splice(0).reverse()) await child.stop();
    const bullmqEmptyPerSecond = await bullmqEmptyJobs();
    log(`deals: BullMQ empty jobs, concurrency 50: ${fmt(bullmqEmptyPerSecond, 0)} jobs/s`);
    const best = runs.reduce((a, b) => (b.cyclesPerSecond > a.cyclesPerSecond ? b : a));
    return {
      runs,
      cyclesPerSecond: best.cyclesPerSecond,
      bullmqEmptyPerSecond,
      ratio: best.cyclesPerSecond / bullmqEmptyPerSecond,
      jobs,
      timeScale: Number(TIME_SCALE),
      checkpointsPerDeal: cp[0].n,
    };
  } finally {
    for (const child of children.reverse()) await child.stop();
    await db.end();
    await database.drop();
  }
}

/** Per stage: how many, how fast (first to last), and how late against when it was due. */
async function stageFigures(db: import('pg').Client, channelIds: string[]): Promise<StageFigure[]> {
  const figure = (stage: string, lagWhat: string, rows: { at: Date; lag: number }[]): StageFigure => {
    const times = rows.map((row) => new Date(row.at).getTime()).sort((a, b) => a - b);
    const lags = rows.map((row) => Number(row.lag)).sort((a, b) => a - b);
    const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : NaN;
    return { stage, count: rows.length, perSecond: rows.length / span, lagP50: percentile(lags, 50), lagP99: percentile(lags, 99), lagWhat };
  };
  const published = await db.query(
    `SELECT published_at AS at, extract(epoch FROM published_at - starts_at) * 1000 AS lag FROM placements WHERE published_at IS NOT NULL AND channel_id = ANY($1::uuid[])`,
    [channelIds],
  );
  const verified = await db.query(
    `SELECT d.at, extract(epoch FROM d.at - (p.checkpoints ->> d.checkpoint)::timestamptz) * 1000 AS lag
       FROM delivery_checks d JOIN placements p ON p.id = d.placement_id WHERE d.kind = 'not_edited' AND p.channel_id = ANY($1::uuid[])`,
    [channelIds],
  );
  const settled = await db.query(
    `SELECT e.at, extract(epoch FROM e.at - (SELECT max(d.at) FROM delivery_checks d WHERE d.placement_id = e.placement_id)) * 1000 AS lag
       FROM placement_events e JOIN placements p ON p.id = e.placement_id
      WHERE e.to_status IN ('completed', 'failed') AND p.channel_id = ANY($1::uuid[])`,
    [channelIds],
  );
  const cycle = await db.query(
    `SELECT e.at, extract(epoch FROM e.at - p.created_at) * 1000 AS lag FROM placement_events e JOIN placements p ON p.id = e.placement_id
      WHERE e.to_status = 'completed' AND p.channel_id = ANY($1::uuid[])`,
    [channelIds],
  );
  return [
    figure('publish', 'publish after startsAt', published.rows),
    figure('verify (one per checkpoint)', 'check after its checkpoint', verified.rows),
    figure('settle', 'settled after the last check', settled.rows),
    figure('whole deal', `completed after booking (floor: ${LEAD_MS} ms lead + ${FEED_MS} ms format)`, cycle.rows),
  ];
}

async function dealRun(
  db: import('pg').Client,
  rate: number,
  channelIds: string[],
  advertisers: Advertiser[],
  apiUrl: string,
  channelApiUrl: string,
  ownerAuth: Record<string, string>,
): Promise<DealRun> {
  log(`deals: ${rate} deals/s for ${WINDOW_S} s (book + accept, start ${LEAD_MS} ms later)`);
  const driven = await fixedRate(`deals @ ${rate}/s`, rate, WINDOW_S, async (i) => {
    const advertiser = advertisers[i % advertisers.length];
    const placement = await expectStatus(
      'book',
      json(`${apiUrl}/v1/placements`, {
        headers: { authorization: `Bearer ${advertiser.apiKey}` },
        body: { channelId: channelIds[i], creativeId: advertiser.creativeId, format: '1/24', startsAt: new Date(Date.now() + LEAD_MS).toISOString() },
      }),
      201,
    );
    await expectStatus('accept', json(`${channelApiUrl}/v1/offers/${placement.id}/accept`, { method: 'POST', headers: ownerAuth }), 200);
  });
  const terminal = ['completed', 'failed', 'needs_review', 'cancelled', 'rejected', 'expired'];
  const deadline = Date.now() + FEED_MS + 60_000;
  for (;;) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM placements WHERE channel_id = ANY($1::uuid[]) AND status <> ALL($2::text[])`, [channelIds, terminal]);
    if (rows[0].n === 0 || Date.now() > deadline) break;
    await sleep(250);
  }
  const { rows } = await db.query(
    `SELECT status, status_reason AS reason, count(*)::int AS n FROM placements WHERE channel_id = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY n DESC`,
    [channelIds],
  );
  const completed = rows.filter((row: { status: string }) => row.status === 'completed').reduce((sum: number, row: { n: number }) => sum + row.n, 0);
  const notCompleted = rows.filter((row: { status: string }) => row.status !== 'completed');
  const bookFailures = channelIds.length - rows.reduce((sum: number, row: { n: number }) => sum + row.n, 0);
  if (bookFailures > 0) notCompleted.push({ status: 'not booked', reason: 'book or accept failed', n: bookFailures });
  const stages = await stageFigures(db, channelIds);
  const run: DealRun = {
    offeredPerSecond: rate,
    deals: channelIds.length,
    completed,
    notCompleted,
    cyclesPerSecond: completed / WINDOW_S,
    bookP50: driven.p50,
    bookP99: driven.p99,
    stages,
  };
  log(`  ${completed}/${channelIds.length} completed: ${fmt(run.cyclesPerSecond)} cycles/s; book+accept p50 ${fmt(driven.p50, 0)} ms p99 ${fmt(driven.p99, 0)} ms`);
  for (const other of notCompleted.slice(0, 3)) log(`  not completed: ${other.n} × ${other.status}: ${other.reason}`);
  for (const stage of stages) log(`  ${stage.stage}: ${stage.count} at ${fmt(stage.perSecond, 0)}/s, ${stage.lagWhat} p50 ${fmt(stage.lagP50, 0)} ms p99 ${fmt(stage.lagP99, 0)} ms`);
  return run;
}

/** BullMQ's own throughput: EMPTY_JOBS no-op jobs added in bulk, then one Worker at concurrency 50. */
async function bullmqEmptyJobs(): Promise<number> {
  const prefix = `placard-bench-empty-${runId}`;
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('empty', { connection, prefix });
  try {
    for (let start = 0; start < EMPTY_JOBS; start += 1000) {
      await queue.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: 'noop', data: { i: start + i }, opts: { removeOnComplete: true } })));
    }
    let done = 0;
    const started = performance.now();
    let finished = 0;
    await new Promise<void>((resolve) => {
      const worker = new Worker('empty', async () => undefined, { connection: connection.duplicate(), prefix, concurrency: 50 });
      worker.on('completed', () => {
        if (++done === EMPTY_JOBS) {
          finished = performance.now();
          void worker.close().then(() => resolve());
        }
      });
    });
    return EMPTY_JOBS / ((finished - started) / 1000);
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await connection.quit();
  }
}
