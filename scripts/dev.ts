/**
 * `npm run dev`: the whole marketplace on one machine, offline. Creates and migrates the database,
 * starts the sandbox (Telegram Bot API + Stripe API), then the advertiser API, the channel API and
 * the worker as child processes wired to it, and prints the URLs.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startSandbox } from '../apps/sandbox/src/main';
import { migrate } from './migrate';

const root = join(__dirname, '..', '..'); // dist/scripts → repository root

async function main(): Promise<void> {
  const env: Record<string, string> = {
    PLACARD_DEV: 'true',
    PAYMENTS_PROVIDER: process.env.PAYMENTS_PROVIDER ?? 'sandbox',
    TIME_SCALE: process.env.TIME_SCALE ?? '0.001',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/placard',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ADVERTISER_API_PORT: process.env.ADVERTISER_API_PORT ?? '3001',
    CHANNEL_API_PORT: process.env.CHANNEL_API_PORT ?? '3002',
    WORKER_PORT: process.env.WORKER_PORT ?? '3003',
    SANDBOX_PORT: process.env.SANDBOX_PORT ?? '3004',
    TELEGRAM_POLL_TIMEOUT_SECONDS: process.env.TELEGRAM_POLL_TIMEOUT_SECONDS ?? '5',
  };
  await migrate(env.DATABASE_URL);
  const sandbox = await startSandbox({ port: Number(env.SANDBOX_PORT), host: '127.0.0.1' });
  Object.assign(env, {
    TELEGRAM_API_ROOT: process.env.TELEGRAM_API_ROOT ?? sandbox.url,
    TELEGRAM_BOT_TOKEN: process.env.TELEGRAM_BOT_TOKEN ?? sandbox.platform.botToken,
    TELEGRAM_AUDIT_CHAT_ID: process.env.TELEGRAM_AUDIT_CHAT_ID ?? sandbox.platform.auditChatId,
  });

  // PAYMENTS_PROVIDER=stripe without a real key: the sandbox's Stripe server, its webhook wired to the advertiser API
  const sandboxStripe = env.PAYMENTS_PROVIDER === 'stripe' && !process.env.STRIPE_SECRET_KEY;
  if (sandboxStripe) {
    Object.assign(env, { STRIPE_SECRET_KEY: 'sk_test_placard_sandbox', STRIPE_WEBHOOK_SECRET: 'whsec_placard_sandbox', STRIPE_API_BASE: sandbox.url });
    sandbox.stripe.setWebhookEndpoint({ url: `http://127.0.0.1:${env.ADVERTISER_API_PORT}/v1/stripe/webhook`, secret: env.STRIPE_WEBHOOK_SECRET });
  }

  const children: ChildProcess[] = [];
  const startChild = (name: string, script: string): void => {
    const child = spawn(process.execPath, [join(root, 'dist', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (!shuttingDown) {
        console.error(`${name} exited (${signal ?? code}); stopping everything`);
        void shutdown(1);
      }
    });
    children.push(child);
  };
  startChild('advertiser-api', 'apps/advertiser-api/src/main.js');
  startChild('channel-api', 'apps/channel-api/src/main.js');
  startChild('worker', 'apps/worker/src/main.js');

  let shuttingDown = false;
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await sandbox.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  await waitForHealth([`http://127.0.0.1:${env.ADVERTISER_API_PORT}/health`, `http://127.0.0.1:${env.CHANNEL_API_PORT}/health`, `http://127.0.0.1:${env.WORKER_PORT}/health`]);
  console.log(
    [
      '',
      `Placard is running (sandbox Telegram, ${sandboxStripe ? "the sandbox's Stripe server" : `${env.PAYMENTS_PROVIDER} payments`}, TIME_SCALE=${env.TIME_SCALE}):`,
      `  advertiser API  http://127.0.0.1:${env.ADVERTISER_API_PORT}/v1   docs: http://127.0.0.1:${env.ADVERTISER_API_PORT}/docs`,
      `  channel API     http://127.0.0.1:${env.CHANNEL_API_PORT}/v1   docs: http://127.0.0.1:${env.CHANNEL_API_PORT}/docs`,
      `  worker          http://127.0.0.1:${env.WORKER_PORT}/health  metrics: http://127.0.0.1:${env.WORKER_PORT}/metrics`,
      `  sandbox         ${sandbox.url}  (Telegram Bot API at /bot<token>/…, Stripe API at /v1/…, controls at /control/…)`,
      '',
      'Walk through a whole deal with: npm run demo',
      '',
    ].join('\n'),
  );
}

async function waitForHealth(urls: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      const ok = await fetch(url).then((response) => response.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${url} did not become healthy`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
