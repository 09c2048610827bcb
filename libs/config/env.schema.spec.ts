import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, scaledMs } from './env.schema';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('parseConfig', () => {
  it('accepts the dev defaults', () => {
    const config = parseConfig({ PLACARD_DEV: 'true' });
    expect(config.payments.provider).toBe('sandbox');
    expect(config.platformFeeBps).toBe(1000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/placard');
  });

  it('reads one audit chat or a comma-separated list of them', () => {
    expect(parseConfig({ PLACARD_DEV: 'true' }).telegram.auditChatIds).toEqual([]);
    expect(parseConfig({ PLACARD_DEV: 'true', TELEGRAM_AUDIT_CHAT_ID: '-1001' }).telegram.auditChatIds).toEqual(['-1001']);
    expect(parseConfig({ PLACARD_DEV: 'true', TELEGRAM_AUDIT_CHAT_ID: ' -1001, -1002 ,' }).telegram.auditChatIds).toEqual(['-1001', '-1002']);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ PLATFORM_FEE_BPS: 'ten', TIME_SCALE: '-1', DATABASE_URL: 'mysql://x', REDIS_URL: 'nope' });
    const text = problems.join('\n');
    for (const name of ['PLATFORM_FEE_BPS', 'TIME_SCALE', 'DATABASE_URL', 'REDIS_URL', 'PAYMENTS_PROVIDER', 'SECRETS_KEY']) {
      expect(text).toContain(name);
    }
  });

  it('reads the context threshold as a share, refusing one outside 0-1', () => {
    expect(parseConfig({ PLACARD_DEV: 'true' }).contextThreshold).toBe(0.2);
    expect(parseConfig({ PLACARD_DEV: 'true', CONTEXT_THRESHOLD: '0.35' }).contextThreshold).toBe(0.35);
    for (const bad of ['1.5', '-0.1', 'high']) expect(problemsOf({ PLACARD_DEV: 'true', CONTEXT_THRESHOLD: bad }).join('\n')).toContain('CONTEXT_THRESHOLD');
  });

  it('requires the Stripe secrets only with the stripe provider', () => {
    const problems = problemsOf({ PAYMENTS_PROVIDER: 'stripe', SECRETS_KEY: 'k'.repeat(32) });
    expect(problems).toEqual([
      'STRIPE_SECRET_KEY is required when PAYMENTS_PROVIDER=stripe',
      'STRIPE_WEBHOOK_SECRET is required when PAYMENTS_PROVIDER=stripe',
    ]);
  });

  it('never echoes a secret value in its messages', () => {
    const problems = problemsOf({ PLACARD_DEV: 'true', SECRETS_KEY: 'short-secret-value' });
    expect(problems.join()).not.toContain('short-secret-value');
  });

  it('scales durations', () => {
    expect(scaledMs({ timeScale: 0.001 }, 60)).toBe(3600);
    expect(scaledMs({ timeScale: 1 }, 1)).toBe(60_000);
  });
});
