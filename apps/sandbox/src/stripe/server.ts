import Fastify, { FastifyInstance } from 'fastify';
import { StripeSandbox, StripeSandboxOptions } from './stripe-sandbox';
import type { WebhookRetryPolicy } from './webhooks';

export interface StartStripeSandboxOptions extends Omit<StripeSandboxOptions, 'webhookRetry'> {
  /** 0 (default) picks a free port */
  port?: number;
  host?: string;
  webhookRetry?: Partial<WebhookRetryPolicy>;
}

export interface RunningStripeSandbox {
  /** e.g. `http://127.0.0.1:53211`: give it to the provider as `apiBase` */
  url: string;
  host: string;
  port: number;
  sandbox: StripeSandbox;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts a Stripe sandbox on its own Fastify server, for tests. */
export async function startStripeSandbox(options: StartStripeSandboxOptions = {}): Promise<RunningStripeSandbox> {
  const { port = 0, host = '127.0.0.1', ...sandboxOptions } = options;
  const sandbox = new StripeSandbox(sandboxOptions);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  sandbox.register(app);
  await app.listen({ port, host });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    host,
    port: boundPort,
    sandbox,
    app,
    close: async () => {
      sandbox.close();
      await app.close();
    },
  };
}
