import Fastify from 'fastify';
import { TelegramSandbox, type TelegramSandboxOptions } from './telegram-sandbox';
import { listenAt } from '../listen';

export interface RunningTelegramSandbox {
  /** Bot API root, e.g. http://127.0.0.1:41234 (use as apiRoot: `${url}/bot<token>/getMe`) */
  url: string;
  sandbox: TelegramSandbox;
  close(): Promise<void>;
}

/** Starts a Fastify server with only the Telegram sandbox on it; port 0 picks a free port. */
export async function startTelegramSandbox(
  options: { port?: number; host?: string } & TelegramSandboxOptions = {},
): Promise<RunningTelegramSandbox> {
  const { port = 0, host = '127.0.0.1', ...sandboxOptions } = options;
  const app = Fastify({ logger: false });
  const sandbox = new TelegramSandbox(sandboxOptions);
  sandbox.register(app);
  const { url } = await listenAt(app, port, host);
  return {
    url,
    sandbox,
    close: async () => {
      sandbox.shutdown();
      await app.close();
    },
  };
}
