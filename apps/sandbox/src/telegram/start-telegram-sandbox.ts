import Fastify from 'fastify';
import { TelegramSandbox, type TelegramSandboxOptions } from './telegram-sandbox';

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
  await app.listen({ port, host });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    sandbox,
    close: async () => {
      sandbox.shutdown();
      await app.close();
    },
  };
}
