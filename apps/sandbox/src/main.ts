import { createLogger } from '#libs/common';
import { startSandbox } from './sandbox';

export { startSandbox, type RunningSandbox, type SandboxOptions } from './sandbox';

if (require.main === module) {
  const logger = createLogger('sandbox');
  const port = Number(process.env.SANDBOX_PORT ?? 3004);
  startSandbox({
    port,
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    stripe: process.env.SANDBOX_STRIPE_WEBHOOK_URL
      ? { webhookUrl: process.env.SANDBOX_STRIPE_WEBHOOK_URL, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET }
      : undefined,
  })
    .then((sandbox) => {
      logger.info({ url: sandbox.url, platform: `${sandbox.url}/control/sandbox/platform` }, 'sandbox listening (Telegram Bot API and Stripe API)');
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sandbox.close().then(() => process.exit(0)));
    })
    .catch((error) => {
      logger.error({ err: error }, 'sandbox failed to start');
      process.exit(1);
    });
}
