import { createServer, IncomingMessage, ServerResponse } from 'node:http';

export interface ReceivedWebhook {
  /** the body exactly as sent, to verify the signature against */
  rawBody: string;
  signature: string | undefined;
  event: { id: string; type: string; [field: string]: unknown };
  /** what the receiver answered */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** every delivery, in arrival order, failed ones included */
  received: ReceivedWebhook[];
  /** answer the next `count` deliveries with `status` (500 by default) */
  failNext(count: number, status?: number): void;
  /** resolves with the first accepted delivery matching, waiting for it if needed */
  waitFor(match: (delivery: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/** A plain HTTP endpoint for tests that records Stripe webhook deliveries. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const failures: number[] = [];
  const waiters = new Set<() => void>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const status = failures.shift() ?? 200;
      let event: ReceivedWebhook['event'];
      try {
        event = JSON.parse(rawBody) as ReceivedWebhook['event'];
      } catch {
        event = { id: '', type: '' };
      }
      const header = request.headers['stripe-signature'];
      received.push({ rawBody, signature: Array.isArray(header) ? header[0] : header, event, status });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ received: status < 300 }));
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/stripe/webhook`,
    received,
    failNext(count, status = 500) {
      for (let index = 0; index < count; index += 1) failures.push(status);
    },
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = received.find((delivery) => delivery.status < 300 && match(delivery));
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('No matching webhook delivery arrived'));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
