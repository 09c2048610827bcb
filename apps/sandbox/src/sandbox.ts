import Fastify from 'fastify';
import { StripeSandbox, type StripeSandboxOptions } from './stripe';
import { TelegramSandbox, type TelegramSandboxOptions } from './telegram';
import { listenAt } from './listen';

export interface RunningSandbox {
  url: string;
  telegram: TelegramSandbox;
  stripe: StripeSandbox;
  /** the platform bot Placard posts through, and the private channel it uses for existence checks */
  platform: { botToken: string; botId: number; auditChatId: string };
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  telegram?: TelegramSandboxOptions;
  stripe?: StripeSandboxOptions;
}

/**
 * The outside world for development and tests: a Telegram Bot API server and a Stripe API server on
 * one port, with the platform bot and its private audit channel already set up. Never used in production.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const telegram = new TelegramSandbox(options.telegram);
  const stripe = new StripeSandbox(options.stripe);
  telegram.register(app);
  stripe.register(app);

  const bot = telegram.createBot({ username: 'placard_bot', firstName: 'Placard' });
  const audit = telegram.createChannel({ title: 'Placard audit (private)' });
  telegram.setAdmin(audit.id, bot.id, { canPostMessages: true, canEditMessages: true, canDeleteMessages: true });
  const platform = { botToken: bot.token, botId: bot.id, auditChatId: String(audit.id) };
  // the sandbox's own fake credentials, so tools like the demo can find the platform bot
  app.get('/control/sandbox/platform', async () => platform);

  const { url } = await listenAt(app, options.port, options.host);
  return {
    url,
    telegram,
    stripe,
    platform,
    close: async () => {
      telegram.shutdown();
      stripe.close();
      await app.close();
    },
  };
}
