import Fastify, { FastifyInstance } from 'fastify';
import { StripeSandbox, StripeSandboxOptions } from './stripe-sandbox';
import type { WebhookRetryPolicy } from './webhooks';
import { listenAt } from '../listen';

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
  const bound = await listenAt(app, port, host);
  return {
    url: bound.url,
    host,
    port: bound.port,
    sandbox,
    app,
    close: async () => {
      sandbox.close();
      await app.close();
    },
  };
}
