import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { REDIS_URL, baseEnv, expectStatus, freePort, freshDatabase, json, log, pgClient, pool, runId, sleep, startNode, waitForHttp } from './lib/common';
import { fmt, percentile } from './lib/load';
import { ChannelSeed, insertChannels, seedAdvertisers, seedOwners } from './lib/seed';

export interface StageFigure {
  stage: string;
  count: number;
  /** from the first to the last event of this stage */
  perSecond: number;
  lagP50: number;
  lagP99: number;
  lagWhat: string;
}

export interface DealFigures {
  deals: number;
  completed: number;
  otherStatuses: Record<string, number>;
  cyclesPerSecond: number;
  windowS: number;
  setupPerSecond: number;
  bullmqEmptyPerSecond: number;
  ratio: number;
  stages: StageFigure[];
  jobs: Record<string, { completed: number; failed: number }>;
  timeScale: number;
  checkpointsPerDeal: number;
}

const DEALS = Number(process.env.BENCH_DEALS ?? 400);
const TIME_SCALE = '0.00001'; // a 1/24 format: 36 ms on top, 864 ms in the feed
const EMPTY_JOBS = 20_000;

/**
 * Whole deals through the real processes (sandbox, both APIs, worker, each its own process):
 * DEALS placements on DEALS channels are booked and accepted to start at one instant T0; the
 * worker publishes, verifies at every checkpoint and settles them. Cycles per second = completed
 * deals / (last completion - T0). Then BullMQ's own rate on empty jobs (concurrency 50).
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

    const setupStarted = Date.now();
    const t0 = setupStarted + 5000 + DEALS * 50; // generous on a busy 2-core box; flagged below if booking ran past T0
    log(`deals: booking and accepting ${DEALS} placements (all start at T0 = +${((t0 - setupStarted) / 1000).toFixed(1)} s)`);
    await pool(channelIds, 24, async (channelId, i) => {
      const advertiser = advertisers[i % advertisers.length];
      const placement = await expectStatus(
        'book',
        json(`${apiUrl}/v1/placements`, {
          headers: { authorization: `Bearer ${advertiser.apiKey}` },
          body: { channelId, creativeId: advertiser.creativeId, format: '1/24', startsAt: new Date(Math.max(t0, Date.now() + 1000)).toISOString() },
        }),
        201,
      );
      await expectStatus('accept', json(`${channelApiUrl}/v1/offers/${placement.id}/accept`, { method: 'POST', headers: ownerAuth }), 200);
    });
    const setupDone = Date.now();
    const setupPerSecond = DEALS / ((setupDone - setupStarted) / 1000);
    log(`deals: booked and accepted in ${((setupDone - setupStarted) / 1000).toFixed(1)} s (${fmt(setupPerSecond, 0)} deals/s over HTTP)${setupDone > t0 ? ' - AFTER T0' : ''}`);

    const terminal = ['completed', 'failed', 'needs_review', 'cancelled', 'rejected', 'expired', 'publish_failed'];
    const deadline = t0 + 180_000;
    let counts: Record<string, number> = {};
    for (;;) {
      const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM placements GROUP BY status`);
      counts = Object.fromEntries(rows.map((row: { status: string; n: number }) => [row.status, row.n]));
      const done = Object.entries(counts).filter(([status]) => terminal.includes(status)).reduce((sum, [, n]) => sum + n, 0);
      if (done >= DEALS || Date.now() > deadline) break;
      await sleep(200);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${ports.worker}/metrics`)).text();
    const jobs: Record<string, { completed: number; failed: number }> = {};
    for (const match of metrics.matchAll(/^jobs_(completed|failed)_total\{job="([^"]+)"[^}]*\} (\d+)/gm)) {
      jobs[match[2]] ??= { completed: 0, failed: 0 };
      jobs[match[2]][match[1] as 'completed' | 'failed'] = Number(match[3]);
    }
    const stages = await stageFigures(db, t0);
    const { rows: last } = await db.query(`SELECT max(at) AS at FROM placement_events WHERE to_status = 'completed'`);
    const { rows: cp } = await db.query(`SELECT avg(jsonb_array_length(checkpoints))::float AS n FROM placements`);
    const completed = counts.completed ?? 0;
    const windowS = last[0].at ? (new Date(last[0].at).getTime() - t0) / 1000 : NaN;
    const cyclesPerSecond = completed / windowS;
    log(`deals: ${completed}/${DEALS} completed in ${fmt(windowS, 2)} s after T0: ${fmt(cyclesPerSecond)} cycles/s; statuses ${JSON.stringify(counts)}`);
    for (const stage of stages) log(`  ${stage.stage}: ${stage.count} at ${fmt(stage.perSecond, 0)}/s, ${stage.lagWhat} p50 ${fmt(stage.lagP50, 0)} ms p99 ${fmt(stage.lagP99, 0)} ms`);
    log(`  jobs: ${JSON.stringify(jobs)}`);

    for (const child of children.splice(0).reverse()) await child.stop();
    const bullmqEmptyPerSecond = await bullmqEmptyJobs();
    log(`deals: BullMQ empty jobs, concurrency 50: ${fmt(bullmqEmptyPerSecond, 0)} jobs/s`);
    const otherStatuses = Object.fromEntries(Object.entries(counts).filter(([status]) => status !== 'completed'));
    return {
      deals: DEALS,
      completed,
      otherStatuses,
      cyclesPerSecond,
      windowS,
      setupPerSecond,
      bullmqEmptyPerSecond,
      ratio: cyclesPerSecond / bullmqEmptyPerSecond,
      stages,
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
async function stageFigures(db: import('pg').Client, t0: number): Promise<StageFigure[]> {
  const figure = (stage: string, lagWhat: string, rows: { at: Date; lag: number }[]): StageFigure => {
    const times = rows.map((row) => new Date(row.at).getTime()).sort((a, b) => a - b);
    const lags = rows.map((row) => Number(row.lag)).sort((a, b) => a - b);
    const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : NaN;
    return { stage, count: rows.length, perSecond: rows.length / span, lagP50: percentile(lags, 50), lagP99: percentile(lags, 99), lagWhat };
  };
  const published = await db.query(
    `SELECT published_at AS at, extract(epoch FROM published_at - starts_at) * 1000 AS lag FROM placements WHERE published_at IS NOT NULL`,
  );
  const verified = await db.query(
    `SELECT d.at, extract(epoch FROM d.at - (p.checkpoints ->> d.checkpoint)::timestamptz) * 1000 AS lag
       FROM delivery_checks d JOIN placements p ON p.id = d.placement_id WHERE d.kind = 'not_edited'`,
  );
  const settled = await db.query(
    `SELECT e.at, extract(epoch FROM e.at - (SELECT max(d.at) FROM delivery_checks d WHERE d.placement_id = e.placement_id)) * 1000 AS lag
       FROM placement_events e WHERE e.to_status IN ('completed', 'failed')`,
  );
  const cycle = await db.query(
    `SELECT e.at, extract(epoch FROM e.at - to_timestamp($1 / 1000.0)) * 1000 AS lag FROM placement_events e WHERE e.to_status = 'completed'`,
    [t0],
  );
  return [
    figure('publish', 'publish after startsAt', published.rows),
    figure('verify (one per checkpoint)', 'check after its checkpoint', verified.rows),
    figure('settle', 'settled after the last check', settled.rows),
    figure('whole deal', 'completed after T0', cycle.rows),
  ];
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
