import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { startAdvertiserApi } from '../../apps/advertiser-api/src/main';
import { startChannelApi } from '../../apps/channel-api/src/main';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src/main';
import { startWorker, type RunningWorker } from '../../apps/worker/src/main';
import { freshDatabase } from './database';

export interface StackOptions {
  timeScale?: number;
  /** start the worker (publish, verify, settle, polling); off for API-only specs */
  worker?: boolean;
  env?: Record<string, string>;
  /**
   * PAYMENTS_PROVIDER=stripe against the sandbox's Stripe server, with its webhooks signed with
   * STRIPE_TEST_WEBHOOK_SECRET: payment events to the advertiser API, Connect and transfer events to the channel API
   */
  stripe?: boolean;
  /**
   * Audit channels for existence checks (TELEGRAM_AUDIT_CHAT_ID as a list); default 1. Each takes 20
   * messages a minute, as on Telegram, so a spec running many checks inside a minute waits out 429s.
   */
  auditChats?: number;
}

export const STRIPE_TEST_SECRET_KEY = 'sk_test_placard_e2e_0123456789';
export const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_placard_e2e_0123456789';
const ADVERTISER_API_STRIPE_EVENTS = [
  'payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'checkout.session.completed', 'checkout.session.expired',
  'charge.succeeded', 'charge.failed', 'charge.refunded', 'charge.dispute.created', 'charge.dispute.closed', 'charge.dispute.funds_reinstated', 'refund.created', 'refund.updated', 'refund.failed',
];
const CHANNEL_API_STRIPE_EVENTS = ['account.updated', 'transfer.created', 'transfer.reversed', 'transfer.updated'];

export interface Stack {
  advertiserApi: NestFastifyApplication;
  channelApi: NestFastifyApplication;
  worker: RunningWorker | null;
  sandbox: RunningSandbox;
  db: DataSource;
  databaseUrl: string;
  env: Record<string, string>;
  /** restarts the worker process part (e.g. after a simulated crash) */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real thing for one spec file: a fresh Postgres database migrated from scratch, a Redis
 * key prefix of its own, the sandbox as the Telegram and Stripe peer, both APIs and the worker.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const id = randomBytes(4).toString('hex');
  const database = await freshDatabase();
  const { db, url: databaseUrl } = database;

  const sandbox = await startSandbox({ stripe: { webhookRetry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 5, timeoutMs: 2000 } } });
  const auditChatIds = [sandbox.platform.auditChatId];
  for (let extra = 1; extra < (options.auditChats ?? 1); extra++) {
    const audit = sandbox.telegram.createChannel({ title: `Placard audit ${extra + 1} (private)` });
    sandbox.telegram.setAdmin(audit.id, sandbox.platform.botId, { canPostMessages: true, canEditMessages: true, canDeleteMessages: true });
    auditChatIds.push(String(audit.id));
  }
  const env: Record<string, string> = {
    PLACARD_DEV: 'true',
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `placard-test-${id}`,
    TELEGRAM_API_ROOT: sandbox.url,
    TELEGRAM_BOT_TOKEN: sandbox.platform.botToken,
    TELEGRAM_AUDIT_CHAT_ID: auditChatIds.join(','),
    TELEGRAM_POLL_TIMEOUT_SECONDS: '1',
    PAYMENTS_PROVIDER: 'sandbox',
    TIME_SCALE: String(options.timeScale ?? 0.0002),
    OUTBOX_RELAY_INTERVAL_MS: '50',
    SWEEP_INTERVAL_MS: '1000',
    ...(options.stripe ? { PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: STRIPE_TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET, STRIPE_API_BASE: sandbox.url } : {}),
    ...options.env,
  };
  Object.assign(process.env, env);

  const advertiser = await startAdvertiserApi(0);
  const channel = await startChannelApi(0);
  let worker = options.worker === false ? null : await startWorker(0);
  if (options.stripe) {
    const webhookUrl = (app: NestFastifyApplication) => {
      const address = app.getHttpServer().address();
      return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/stripe/webhook`;
    };
    sandbox.stripe.setWebhookEndpoint({ url: webhookUrl(advertiser.app), secret: STRIPE_TEST_WEBHOOK_SECRET, enabledEvents: ADVERTISER_API_STRIPE_EVENTS });
    sandbox.stripe.webhooks.addEndpoint({ url: webhookUrl(channel.app), secret: STRIPE_TEST_WEBHOOK_SECRET, enabledEvents: CHANNEL_API_STRIPE_EVENTS });
  }

  const stack: Stack = {
    advertiserApi: advertiser.app,
    channelApi: channel.app,
    get worker() {
      return worker;
    },
    sandbox,
    db,
    databaseUrl,
    env,
    async restartWorker() {
      await worker?.stop();
      Object.assign(process.env, env);
      worker = await startWorker(0);
    },
    async close() {
      await worker?.stop();
      await advertiser.app.close();
      await channel.app.close();
      await sandbox.close();
      await database.close();
    },
  } as Stack;
  return stack;
}
