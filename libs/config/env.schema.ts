/**
 * Every environment variable Placard reads, parsed and validated once at start.
 * A bad environment stops the process with one message naming each bad variable.
 */
export type PaymentsProviderName = 'sandbox' | 'stripe';
export type TelegramUpdatesMode = 'polling' | 'webhook';

export interface PlacardConfig {
  nodeEnv: string;
  /** true under `npm run dev` and in tests: sandbox defaults allowed */
  devMode: boolean;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  ports: { advertiserApi: number; channelApi: number; worker: number; sandbox: number };
  telegram: {
    apiRoot: string;
    botToken: string | null;
    /** TELEGRAM_AUDIT_CHAT_ID: one chat id, or several separated by commas */
    auditChatIds: string[];
    updates: TelegramUpdatesMode;
    webhookSecret: string | null;
    /** client-side Bot API limits; off only for benchmarks against the sandbox */
    limits: boolean;
    pollTimeoutSeconds: number;
  };
  payments: {
    provider: PaymentsProviderName;
    stripeSecretKey: string | null;
    stripeWebhookSecret: string | null;
    stripeApiBase: string | null;
    /** per Stripe API request, before the SDK retries it under the same idempotency key */
    stripeTimeoutMs: number;
    payoutMinimumMinor: number;
  };
  platformFeeBps: number;
  timeScale: number;
  secretsKey: string | null;
  offerExpiryHours: number;
  postRetentionDays: number;
  contextThreshold: number;
  recommendationsCacheSeconds: number;
  /** how many processes each API runs as, sharing its port */
  apiProcesses: number;
  /** how long an API process reuses a key's lookup; revocation is still seen at once (Redis marker) */
  apiKeyCacheSeconds: number;
  channelRecheckMinutes: number;
  rateLimitPerMinute: number;
  trustProxy: boolean;
  relayIntervalMs: number;
  sweepIntervalMs: number;
  logLevel: string;
  publicBaseUrl: string | null;
}

type Env = Record<string, string | undefined>;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === '' ? fallback : value;
  }

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value === '' ? null : value;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.string(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must be a URL with protocol ${protocols.join(' or ')}`);
      }
    } catch {
      this.problems.push(`${name} must be a URL`);
    }
    return value;
  }

  number(name: string, fallback: number, check: { min?: number; max?: number; integer?: boolean } = {}): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    const bad =
      !Number.isFinite(value) ||
      (check.integer && !Number.isInteger(value)) ||
      (check.min !== undefined && value < check.min) ||
      (check.max !== undefined && value > check.max);
    if (bad) {
      const range = [check.min !== undefined ? `>= ${check.min}` : '', check.max !== undefined ? `<= ${check.max}` : '']
        .filter(Boolean)
        .join(' and ');
      this.problems.push(`${name} must be ${check.integer ? 'an integer' : 'a number'}${range ? ' ' + range : ''} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T | null, allowed: readonly T[]): T | null {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!allowed.includes(raw as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  require(name: string, value: unknown, why: string): void {
    if (value === null || value === undefined) this.problems.push(`${name} is required ${why}`);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Env = process.env): PlacardConfig {
  const read = new EnvReader(env);
  const devMode = read.boolean('PLACARD_DEV', false);
  const provider = read.oneOf<PaymentsProviderName>('PAYMENTS_PROVIDER', devMode ? 'sandbox' : null, ['sandbox', 'stripe']);
  const updates = read.oneOf<TelegramUpdatesMode>('TELEGRAM_UPDATES', 'polling', ['polling', 'webhook']) ?? 'polling';

  const config: PlacardConfig = {
    nodeEnv: read.string('NODE_ENV', 'development'),
    devMode,
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/placard', ['postgres:', 'postgresql:']),
    databasePoolSize: read.number('DATABASE_POOL_SIZE', 10, { integer: true, min: 1, max: 200 }),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    ports: {
      advertiserApi: read.number('ADVERTISER_API_PORT', 3001, { integer: true, min: 0, max: 65535 }),
      channelApi: read.number('CHANNEL_API_PORT', 3002, { integer: true, min: 0, max: 65535 }),
      worker: read.number('WORKER_PORT', 3003, { integer: true, min: 0, max: 65535 }),
      sandbox: read.number('SANDBOX_PORT', 3004, { integer: true, min: 0, max: 65535 }),
    },
    telegram: {
      apiRoot: read.url('TELEGRAM_API_ROOT', 'https://api.telegram.org', ['http:', 'https:']).replace(/\/+$/, ''),
      botToken: read.optional('TELEGRAM_BOT_TOKEN'),
      auditChatIds: (read.optional('TELEGRAM_AUDIT_CHAT_ID') ?? '').split(',').map((id) => id.trim()).filter(Boolean),
      updates,
      webhookSecret: read.optional('TELEGRAM_WEBHOOK_SECRET'),
      limits: read.boolean('TELEGRAM_LIMITS', true),
      pollTimeoutSeconds: read.number('TELEGRAM_POLL_TIMEOUT_SECONDS', 25, { integer: true, min: 0, max: 50 }),
    },
    payments: {
      provider: provider ?? 'sandbox',
      stripeSecretKey: read.optional('STRIPE_SECRET_KEY'),
      stripeWebhookSecret: read.optional('STRIPE_WEBHOOK_SECRET'),
      stripeApiBase: read.optional('STRIPE_API_BASE'),
      stripeTimeoutMs: read.number('STRIPE_TIMEOUT_MS', 30_000, { integer: true, min: 100, max: 600_000 }),
      payoutMinimumMinor: read.number('PAYOUT_MINIMUM_MINOR', 1000, { integer: true, min: 1 }),
    },
    platformFeeBps: read.number('PLATFORM_FEE_BPS', 1000, { integer: true, min: 0, max: 10000 }),
    timeScale: read.number('TIME_SCALE', 1, { min: 0.000001, max: 1000 }),
    secretsKey: read.optional('SECRETS_KEY'),
    offerExpiryHours: read.number('OFFER_EXPIRY_HOURS', 48, { min: 0.001 }),
    postRetentionDays: read.number('POST_RETENTION_DAYS', 30, { min: 1 }),
    contextThreshold: read.number('CONTEXT_THRESHOLD', 0.2, { min: 0, max: 1 }),
    recommendationsCacheSeconds: read.number('RECOMMENDATIONS_CACHE_SECONDS', 30, { min: 0, max: 3600 }),
    apiProcesses: read.number('API_PROCESSES', 1, { integer: true, min: 1, max: 64 }),
    apiKeyCacheSeconds: read.number('API_KEY_CACHE_SECONDS', 30, { min: 0, max: 300 }),
    channelRecheckMinutes: read.number('CHANNEL_RECHECK_MINUTES', 360, { min: 0.001 }),
    rateLimitPerMinute: read.number('RATE_LIMIT_PER_MINUTE', 600, { integer: true, min: 1 }),
    trustProxy: read.boolean('TRUST_PROXY', false),
    relayIntervalMs: read.number('OUTBOX_RELAY_INTERVAL_MS', 200, { integer: true, min: 10 }),
    sweepIntervalMs: read.number('SWEEP_INTERVAL_MS', 5000, { integer: true, min: 100 }),
    logLevel: read.oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) ?? 'info',
    publicBaseUrl: read.optional('PUBLIC_BASE_URL'),
  };

  if (provider === null) read.require('PAYMENTS_PROVIDER', null, 'outside dev (sandbox or stripe)');
  if (!devMode) read.require('SECRETS_KEY', config.secretsKey, 'outside dev (key for secrets at rest)');
  if (config.secretsKey !== null && config.secretsKey.length < 32) {
    read.problems.push('SECRETS_KEY must be at least 32 characters');
  }
  if (config.payments.provider === 'stripe') {
    read.require('STRIPE_SECRET_KEY', config.payments.stripeSecretKey, 'when PAYMENTS_PROVIDER=stripe');
    read.require('STRIPE_WEBHOOK_SECRET', config.payments.stripeWebhookSecret, 'when PAYMENTS_PROVIDER=stripe');
  }
  if (config.payments.stripeApiBase !== null) read.url('STRIPE_API_BASE', '', ['http:', 'https:']);
  if (updates === 'webhook') {
    read.require('TELEGRAM_WEBHOOK_SECRET', config.telegram.webhookSecret, 'when TELEGRAM_UPDATES=webhook');
    if (config.telegram.webhookSecret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(config.telegram.webhookSecret)) {
      read.problems.push('TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
    }
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** Lifecycle durations are all scaled by TIME_SCALE so a whole deal runs in seconds in tests. */
export function scaledMs(config: Pick<PlacardConfig, 'timeScale'>, minutes: number): number {
  return Math.max(1, Math.round(minutes * 60_000 * config.timeScale));
}
