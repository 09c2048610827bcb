import { Client, Pool } from 'pg';
import { RECOMMENDATIONS_SQL, REBUILD_TOPIC_SCORES_SQL, STORED_EVIDENCE_POSTS, catalogQuery, recommendationsParams } from '#libs/marketplace';
import { baseEnv, expectStatus, freePort, freshDatabase, json, log, pgClient, prng, startNode, waitForHttp } from './lib/common';
import { cpuMsPerRequest, cpuSnapshot } from './lib/cpu';
import { LoadResult, fixedRate, fmt, httpFixedRate, serverMeanMs } from './lib/load';
import { Advertiser, ChannelSeed, insertChannels, seedAdvertisers, seedOwners } from './lib/seed';

export interface CatalogFigures {
  channels: number;
  seedSeconds: number;
  runs: LoadResult[];
  explain: { search: string; recommendations: string };
  /** per statement, how Postgres planned 12 executions of it prepared on one connection: generic / custom plans */
  plans: Record<string, { generic: number; custom: number }>;
  topicShare: Record<string, number>;
  /** mean ms per request, one at a time */
  sequential: Record<string, number>;
  /** per run (same order as `runs`), CPU ms per request spent by the API processes, Postgres and the bench (load generator) */
  cpu: { api: number; postgres: number; bench: number }[];
}

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 100_000);
const RATE = 200;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
/**
 * The recommendations API runs twice, whatever RECOMMENDATIONS_CACHE_SECONDS says: without its
 * per-campaign cache (the 4th run, which bench/run.ts reports against the target) and with it.
 */
const CACHE_ON_SECONDS = '30';
/** API_PROCESSES of the two APIs measured here (BENCH_API_PROCESSES). */
const CATALOG_API_PROCESSES = process.env.BENCH_API_PROCESSES ?? '1';

/** Rough shares of Telegram channel topics (catalogs like TGStat): news, crypto and entertainment lead. */
const TOPIC_WEIGHTS: Record<string, number> = {
  news_politics: 12, crypto: 10, entertainment: 8, humor: 8, education: 6, technology: 6, finance: 6, business: 5, lifestyle: 5,
  music: 4, movies_tv: 4, sports: 4, gaming: 3, health_fitness: 3, food_cooking: 3, travel: 3, fashion_beauty: 3, career: 2,
  marketing: 2, science: 2, family_parenting: 2, auto: 2, real_estate: 1.5, religion: 1.5, other: 2,
};
const LANGUAGE_WEIGHTS: Record<string, number> = { ru: 30, en: 18, uk: 8, fa: 7, uz: 6, ar: 5, es: 5, hi: 4, pt: 4, id: 3, tr: 3, it: 2, de: 2, kk: 1, fr: 2 };
const TOPICS = Object.keys(TOPIC_WEIGHTS);

function picker(weights: Record<string, number>, random: () => number): () => string {
  const entries = Object.entries(weights);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let roll = random() * total;
    for (const [key, weight] of entries) if ((roll -= weight) < 0) return key;
    return entries[entries.length - 1][0];
  };
}

/** 100k channels shaped like a real catalog: a main topic and a few secondary ones, log-normal audiences, prices by CPM. */
export function catalogChannels(ownerIds: string[], count: number): ChannelSeed[] {
  const random = prng(42);
  const topic = picker(TOPIC_WEIGHTS, random);
  const language = picker(LANGUAGE_WEIGHTS, random);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, (_, i) => {
    const scores = new Map<string, number>();
    scores.set(topic(), 0.45 + random() * 0.4);
    const secondary = Math.floor(random() * 4);
    let left = 1 - [...scores.values()][0];
    for (let k = 0; k < secondary && left > 0.05; k++) {
      const share = left * (0.3 + random() * 0.5);
      const id = topic();
      scores.set(id, (scores.get(id) ?? 0) + share);
      left -= share;
    }
    const topics = [...scores].map(([id, score]) => ({ topic: id, score: Math.round(score * 1000) / 1000 })).sort((a, b) => b.score - a.score);
    const unsafe = random() < 0.03 ? [{ category: random() < 0.6 ? 'gambling' : 'adult', score: 0.2 + random() * 0.5 }] : [];
    const lang = language();
    const subscribers = Math.round(Math.min(5_000_000, Math.max(100, Math.exp(8.5 + 1.6 * gaussian()))));
    const cpmMinor = 100 + Math.floor(random() * 900); // $1-$10 per thousand
    const price = Math.max(500, Math.round((subscribers / 1000) * cpmMinor));
    return {
      ownerId: ownerIds[i % ownerIds.length],
      chatId: String(-1008000000000 - i),
      username: `bench_cat_${i}`,
      title: `${topics[0].topic.replace('_', ' ')} channel ${i}`,
      language: lang,
      subscribers,
      topicProfile: { language: lang, topics, brandSafety: unsafe, postCount: 20 + Math.floor(random() * 200), computedAt: new Date().toISOString() },
      topicIds: topics.filter((entry) => entry.score >= 0.15).map((entry) => entry.topic),
      prices: { '1/24': price, '2/48': Math.round(price * 1.6), '3/72': Math.round(price * 2.1), '7d': Math.round(price * 4) },
    };
  });
}

/**
 * Evidence as ProfilesService stores it (STORED_EVIDENCE_POSTS posts, most recent first, each with its
 * own scores for the channel's topics and a little brand-safety noise) and, from it, `reasonPosts`
 * (per topic the 3 strongest posts by weight × score among those scoring ≥ 0.2: the matcher's rule,
 * redone in SQL for the seed only), generated in Postgres in one pass: 100k profiles of 30 posts are
 * too many objects for the bench process to build and send.
 */
const SEED_EVIDENCE_SQL = `
  UPDATE channels c
     SET topic_evidence = ev.evidence, topic_profile = c.topic_profile || jsonb_build_object('reasonPosts', coalesce(rp.by_topic, '{}'))
    FROM channels seed
   CROSS JOIN LATERAL (
     SELECT jsonb_agg(jsonb_build_object(
              'postId', gen_random_uuid(),
              'weight', round((0.5 ^ (g / 6.0))::numeric, 4),
              'topics', (SELECT coalesce(jsonb_agg(jsonb_build_object('topic', t->>'topic', 'score', round((random() * 0.9 + 0.05)::numeric, 3))
                                                   ORDER BY random() DESC), '[]')
                           FROM jsonb_array_elements(seed.topic_profile->'topics') t WHERE g >= 0),
              'brandSafety', CASE WHEN random() < 0.1 THEN jsonb_build_array(jsonb_build_object('category', 'adult', 'score', 0.01)) ELSE '[]'::jsonb END)
            ORDER BY g) AS evidence
       FROM generate_series(0, $1 - 1) g) ev
   CROSS JOIN LATERAL (
     SELECT jsonb_object_agg(ranked.topic, ranked.post_ids) AS by_topic
       FROM (SELECT strongest.topic, jsonb_agg(strongest.post_id ORDER BY strongest.n) AS post_ids
               FROM (SELECT t->>'topic' AS topic, post->>'postId' AS post_id,
                            row_number() OVER (PARTITION BY t->>'topic'
                                                   ORDER BY (post->>'weight')::float8 * (t->>'score')::float8 DESC, post->>'postId' COLLATE "C") AS n
                       FROM jsonb_array_elements(ev.evidence) post, jsonb_array_elements(post->'topics') t
                      WHERE (t->>'score')::float8 >= 0.2) strongest
              WHERE strongest.n <= 3
              GROUP BY strongest.topic) ranked) rp
   WHERE seed.id = c.id AND seed.topic_profile IS NOT NULL`;

/**
 * The SQL the two services run, prepared as they run it: the catalog page query (its cards carry
 * their prices); the recommendation statement (candidates, their order, and the cards,
 * profiles and prices of the 50 returned; the matcher's pass over those runs in Node and is not part
 * of the SQL baseline).
 */
function sqlSearch(pool: Pool, topic: string): Promise<unknown> {
  const { sql, params } = catalogQuery({ topic });
  return pool.query({ name: 'catalog-topic', text: sql, values: params }); // prepared, as the service runs it
}
function sqlRecommend(pool: Pool, advertiser: Advertiser): Promise<unknown> {
  return pool.query({ name: 'recommendations', text: RECOMMENDATIONS_SQL, values: recommendationsParams(advertiser.id, advertiser.campaignId) });
}
/** Inserts the catalog's channels and returns how many list each topic. */
async function seedCatalog(db: Client, owners: string[]): Promise<Record<string, number>> {
  const seeds = catalogChannels(owners, CHANNELS);
  await insertChannels(db, seeds); // channel_catalog_topics: filled by the channels trigger
  return seededTopicShare(seeds);
}
/** How many of the seeded channels list each topic. */
function seededTopicShare(seeds: ChannelSeed[]): Record<string, number> {
  const topicShare: Record<string, number> = {};
  for (const seed of seeds) for (const id of seed.topicIds) topicShare[id] = (topicShare[id] ?? 0) + 1;
  return topicShare;
}

/**
 * Runs each statement 12 times prepared on one connection, with its parameter sets in turn (as the
 * measured runs send them), and reads how Postgres planned them: after five custom plans it keeps the
 * generic one when that is priced no worse than their average; a statement planned anew every time
 * pays its planning on every request.
 */
async function planChoices(db: Client, statements: Record<string, { sql: string; params: unknown[][] }>): Promise<CatalogFigures['plans']> {
  const plans: CatalogFigures['plans'] = {};
  for (const [what, { sql, params }] of Object.entries(statements)) {
    const name = `bench_plans_${Object.keys(plans).length}`;
    for (let i = 0; i < 12; i++) await db.query({ name, text: sql, values: params[i % params.length] });
    const { rows } = await db.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`, [name]);
    plans[what] = { generic: Number(rows[0].generic_plans), custom: Number(rows[0].custom_plans) };
  }
  return plans;
}

async function explainPlan(db: Client, sql: string, params: unknown[]): Promise<string> {
  return (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((row) => row['QUERY PLAN']).join('\n');
}

export async function benchCatalog(): Promise<CatalogFigures> {
  const database = await freshDatabase('catalog');
  const db = await pgClient(database.url);
  const port = freePort();
  const uncachedPort = freePort();
  const api = startNode('advertiser-api', 'apps/advertiser-api/src/main.js', baseEnv(database.url, { ADVERTISER_API_PORT: String(port), RECOMMENDATIONS_CACHE_SECONDS: CACHE_ON_SECONDS, API_PROCESSES: CATALOG_API_PROCESSES }));
  const uncachedApi = startNode('advertiser-api (no recommendations cache)', 'apps/advertiser-api/src/main.js', baseEnv(database.url, { ADVERTISER_API_PORT: String(uncachedPort), RECOMMENDATIONS_CACHE_SECONDS: '0', API_PROCESSES: CATALOG_API_PROCESSES }));
  const sqlPool = new Pool({ connectionString: database.url, max: 10 });
  try {
    const apiUrl = `http://127.0.0.1:${port}`;
    const uncachedUrl = `http://127.0.0.1:${uncachedPort}`;
    await waitForHttp(`${apiUrl}/health`);
    await waitForHttp(`${uncachedUrl}/health`);
    const seedStarted = Date.now();
    const seeded = database.kept && Number((await db.query(`SELECT count(*) AS n FROM channels WHERE username LIKE 'bench_cat_%'`)).rows[0].n) === CHANNELS;
    let topicShare: Record<string, number>;
    if (seeded) {
      log(`catalog: BENCH_KEEP_DB: reusing the ${CHANNELS.toLocaleString('en')} channels seeded by an earlier run`);
      topicShare = seededTopicShare(catalogChannels([''], CHANNELS));
    } else {
      log(`catalog: seeding ${CHANNELS.toLocaleString('en')} verified channels with profiles and 4 prices each (multi-row INSERT)`);
      if (database.kept) await db.query('TRUNCATE channels, accounts CASCADE');
      const owners = await seedOwners(db, 2000);
      // in a function of its own, so that the 100k seeds are not kept alive through the measured runs
      topicShare = await seedCatalog(db, owners);
      await db.query(SEED_EVIDENCE_SQL, [STORED_EVIDENCE_POSTS]);
      await db.query(REBUILD_TOPIC_SCORES_SQL); // what ProfilesService writes with each profile
      await db.query('VACUUM FULL ANALYZE channels'); // the evidence update left a dead copy of every row
      await db.query('VACUUM ANALYZE channel_prices');
      await db.query('VACUUM ANALYZE channel_topic_scores');
      await db.query('VACUUM ANALYZE channel_catalog_topics');
    }
    // the seed's dirty pages are written now, not by a checkpoint spread over the measured runs
    await db.query('CHECKPOINT');
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`catalog: seeded in ${fmt(seedSeconds)} s`);

    const campaignTopics = ['crypto', 'finance'];
    const [advertiser] = await seedAdvertisers(apiUrl, 1, 100_000, campaignTopics);
    const headers = { authorization: `Bearer ${advertiser.apiKey}` };
    await expectStatus('recommendations', json(`${apiUrl}/v1/campaigns/${advertiser.campaignId}/recommendations`, { headers }), 200);
    await expectStatus('recommendations without cache', json(`${uncachedUrl}/v1/campaigns/${advertiser.campaignId}/recommendations`, { headers }), 200);

    const search = catalogQuery({ topic: 'crypto' });
    const explain = {
      search: await explainPlan(db, search.sql, search.params),
      recommendations: await explainPlan(db, RECOMMENDATIONS_SQL, recommendationsParams(advertiser.id, advertiser.campaignId)),
    };
    const plans = await planChoices(db, {
      'catalog search, topics in turn': { sql: search.sql, params: TOPICS.map((topic) => catalogQuery({ topic }).params) },
      'catalog search, crypto only': { sql: search.sql, params: [search.params] },
      recommendations: { sql: RECOMMENDATIONS_SQL, params: [recommendationsParams(advertiser.id, advertiser.campaignId)] },
    });
    log(`catalog: plans of 12 prepared executions ${JSON.stringify(plans)}`);

    // sequential latency with nothing else running (second pass of each counts): where does the time go?
    const sequential: Record<string, number> = {};
    const probes: Record<string, (k: number) => Promise<unknown>> = {
      'catalog search, SQL': (k) => sqlSearch(sqlPool, TOPICS[k % TOPICS.length]),
      'catalog search, API': (k) => json(`${apiUrl}/v1/channels?topic=${TOPICS[k % TOPICS.length]}`, { headers }),
      'recommendation queries, SQL': () => sqlRecommend(sqlPool, advertiser),
      'recommendations, API': () => json(`${apiUrl}/v1/campaigns/${advertiser.campaignId}/recommendations`, { headers }),
      'recommendations, API without cache': () => json(`${uncachedUrl}/v1/campaigns/${advertiser.campaignId}/recommendations`, { headers }),
    };
    for (let pass = 0; pass < 2; pass++) {
      for (const [what, probe] of Object.entries(probes)) {
        const t = performance.now();
        for (let k = 0; k < 25; k++) await probe(k);
        sequential[what] = (performance.now() - t) / 25;
      }
    }
    log(`catalog: sequential ms per request ${JSON.stringify(Object.fromEntries(Object.entries(sequential).map(([k, v]) => [k, Number(v.toFixed(2))])))}`);
    let i = 0;
    const nextTopic = (): string => TOPICS[i++ % TOPICS.length];
    const runs: LoadResult[] = [];
    const http = (label: string, path: () => string, url = apiUrl, durationS = DURATION_S) =>
      httpFixedRate({ label, url, rate: RATE, durationS, next: () => ({ path: path(), headers }), okStatus: 200 });
    // warm every measured path (the JIT's first second at 200/s would otherwise be in the p99)
    const recommendationsPath = () => `/v1/campaigns/${advertiser.campaignId}/recommendations`;
    await http('warm', () => `/v1/channels?topic=${nextTopic()}`);
    await http('warm', recommendationsPath, apiUrl, 3);
    await http('warm', recommendationsPath, uncachedUrl, 3);
    const plan: [string, () => Promise<LoadResult>][] = [
      [`SQL: catalog query, topic filter @ ${RATE}/s`, () => fixedRate(`SQL: catalog query, topic filter @ ${RATE}/s`, RATE, DURATION_S, () => sqlSearch(sqlPool, nextTopic()))],
      [`GET /v1/channels?topic= @ ${RATE}/s`, () => http(`GET /v1/channels?topic= @ ${RATE}/s`, () => `/v1/channels?topic=${nextTopic()}`)],
      [`SQL: recommendation queries @ ${RATE}/s`, () => fixedRate(`SQL: recommendation queries @ ${RATE}/s`, RATE, DURATION_S, () => sqlRecommend(sqlPool, advertiser))],
      [
        `GET /v1/campaigns/:id/recommendations, cache off @ ${RATE}/s`,
        () => http(`GET /v1/campaigns/:id/recommendations, cache off @ ${RATE}/s`, recommendationsPath, uncachedUrl),
      ],
      [
        `GET /v1/campaigns/:id/recommendations, cache on @ ${RATE}/s`,
        () => http(`GET /v1/campaigns/:id/recommendations, cache on @ ${RATE}/s`, recommendationsPath),
      ],
    ];
    const cpu: CatalogFigures['cpu'] = [];
    const apiPids = [api.proc.pid, uncachedApi.proc.pid];
    for (const [label, run] of plan) {
      log(`catalog: ${label} for ${DURATION_S} s`);
      const before = cpuSnapshot(apiPids);
      const result = await run();
      const used = cpuMsPerRequest(before, cpuSnapshot(apiPids), result.ok + result.errors); // sent, not offered
      cpu.push({ api: used.service, postgres: used.postgres, bench: used.bench });
      log(`  ${fmt(result.okPerSecond, 0)} ok/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, non-200/dropped ${result.bad}, errors ${result.errors}`);
      log(`  CPU ms per request: API ${fmt(used.service, 2)}, Postgres ${fmt(used.postgres, 2)}, bench ${fmt(used.bench, 2)}`);
      runs.push(result);
      if (label.startsWith('GET')) log(`  server-side mean per route so far: ${JSON.stringify(await serverMeanMs(label.includes('cache off') ? uncachedUrl : apiUrl))}`);
    }
    return { channels: CHANNELS, seedSeconds, runs, explain, plans, topicShare, sequential, cpu };
  } finally {
    await api.stop();
    await uncachedApi.stop();
    await sqlPool.end();
    await db.end();
    await database.drop();
  }
}
