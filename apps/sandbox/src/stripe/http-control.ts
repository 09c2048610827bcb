import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FaultRule } from './faults';
import { useFormParser } from './http-api';
import { ControlError, DisputeCloseStatus, RefundFailureReason, StripeSandbox } from './stripe-sandbox';

type Body = Record<string, unknown>;

/**
 * `/control/stripe/…`: JSON routes mirroring the sandbox's in-process control methods, for tests and
 * scripts in another process. Answers `{error: {code, message}}` with 400/404/409 on misuse.
 */
export function registerStripeControl(app: FastifyInstance, sandbox: StripeSandbox): void {
  app.register(async (control) => {
    // An empty JSON body (`curl -X POST -H 'content-type: application/json'`) means no options.
    control.removeContentTypeParser('application/json');
    control.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch {
        done(new ControlError(400, 'invalid_json', 'The body is not valid JSON'), undefined);
      }
    });

    const body = (raw: unknown): Body => (typeof raw === 'object' && raw !== null ? (raw as Body) : {});
    const id = (params: unknown): string => (params as { id: string }).id;

    control.post('/payment_intents/:id/succeed', async (request) => sandbox.succeedPaymentIntent(id(request.params)));
    control.post('/payment_intents/:id/fail', async (request) => {
      const input = body(request.body);
      return sandbox.failPaymentIntent(id(request.params), { declineCode: optionalString(input, 'declineCode'), message: optionalString(input, 'message') });
    });
    control.post('/checkout/sessions/:id/complete', async (request) => sandbox.completeCheckoutSession(id(request.params)));
    control.post('/accounts/:id/complete_onboarding', async (request) => sandbox.completeOnboarding(id(request.params)));
    control.post('/charges/:id/dispute', async (request) => {
      const input = body(request.body);
      return sandbox.disputeCharge(id(request.params), { amount: optionalNumber(input, 'amount'), reason: optionalString(input, 'reason') });
    });
    control.post('/charges/:id/dispute/inquiry', async (request) => {
      const input = body(request.body);
      return sandbox.disputeCharge(id(request.params), { amount: optionalNumber(input, 'amount'), reason: optionalString(input, 'reason'), inquiry: true });
    });
    control.post('/disputes/:id/close', async (request) => {
      const status = optionalString(body(request.body), 'status');
      if (!status) throw new ControlError(400, 'invalid_body', 'status (won, lost or warning_closed) is required');
      return sandbox.closeDispute(id(request.params), status as DisputeCloseStatus);
    });
    control.post('/refunds/:id/fail', async (request) => {
      const reason = optionalString(body(request.body), 'reason');
      return sandbox.failRefund(id(request.params), { reason: reason as RefundFailureReason | undefined });
    });
    control.post('/transfers/fail_next', async (request) => {
      const input = body(request.body);
      sandbox.failNextTransfers(optionalNumber(input, 'count') ?? 1, { status: optionalNumber(input, 'status'), code: optionalString(input, 'code'), message: optionalString(input, 'message') });
      return { ok: true };
    });
    control.post('/balance', async (request) => {
      const input = body(request.body);
      const amount = optionalNumber(input, 'amount');
      const currency = optionalString(input, 'currency');
      if (amount === undefined || !currency) throw new ControlError(400, 'invalid_body', 'amount (integer) and currency are required');
      sandbox.addBalance(amount, currency);
      return sandbox.retrieveBalance({ requestId: null, idempotencyKey: null, baseUrl: '' });
    });
    control.post('/faults', async (request) => {
      const input = body(request.body);
      const path = optionalString(input, 'path');
      if (!path) throw new ControlError(400, 'invalid_body', 'path is required');
      const mode = optionalString(input, 'mode');
      const when = optionalString(input, 'when');
      if (mode && mode !== 'error' && mode !== 'hang') throw new ControlError(400, 'invalid_body', 'mode is error or hang');
      if (when && when !== 'before' && when !== 'after') throw new ControlError(400, 'invalid_body', 'when is before or after');
      return sandbox.injectFault({ path, method: optionalString(input, 'method'), count: optionalNumber(input, 'count'), mode: mode as FaultRule['mode'], when: when as FaultRule['when'] });
    });
    control.get('/faults', async () => ({ faults: sandbox.faults.list() }));
    control.delete('/faults', async () => {
      sandbox.faults.clear();
      return { ok: true };
    });
    control.put('/webhook_endpoint', async (request) => {
      const input = body(request.body);
      const url = optionalString(input, 'url');
      const enabledEvents = Array.isArray(input['enabledEvents']) ? input['enabledEvents'].map(String) : undefined;
      const endpoint = sandbox.setWebhookEndpoint(url ? { url, secret: optionalString(input, 'secret'), enabledEvents } : null);
      // The signing secret is handed back once, to whoever configured it; it is never logged.
      return { endpoint };
    });
    control.get('/webhook_endpoint', async () => ({ endpoints: sandbox.webhooks.endpoints.map(({ id: endpointId, url, enabledEvents }) => ({ id: endpointId, url, enabledEvents })) }));
    control.post('/webhooks/hold', async () => {
      sandbox.holdWebhooks();
      return { holding: true };
    });
    control.get('/webhooks/held', async () => ({ eventIds: sandbox.webhooks.heldEventIds() }));
    control.post('/webhooks/release', async (request) => {
      const input = body(request.body);
      const order = input['order'] === 'reverse' ? 'reverse' : Array.isArray(input['order']) ? input['order'].map(String) : undefined;
      await sandbox.releaseWebhooks(order);
      return { deliveries: sandbox.deliveries() };
    });
    control.post('/events/:id/deliver', async (request) => ({ deliveries: await sandbox.redeliverEvent(id(request.params)) }));
    control.get('/events', async (request) => ({ events: sandbox.events({ type: optionalString(body(request.query), 'type') }) }));
    control.get('/deliveries', async () => {
      await sandbox.webhooksIdle();
      return { deliveries: sandbox.deliveries() };
    });
    control.post('/clock/advance', async (request) => {
      const seconds = optionalNumber(body(request.body), 'seconds');
      if (seconds === undefined) throw new ControlError(400, 'invalid_body', 'seconds (integer) is required');
      return { now: sandbox.advanceClock(seconds) };
    });
    control.post('/reset', async () => {
      sandbox.reset();
      return { ok: true };
    });

    control.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ error: { code: 'not_found', message: `No control route ${request.method} ${request.url.split('?')[0]}` } });
    });
    control.setErrorHandler((error: unknown, _request, reply: FastifyReply) => {
      if (error instanceof ControlError) return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message } });
      const { statusCode, message } = error as { statusCode?: number; message?: string };
      if (statusCode && statusCode < 500) return reply.code(statusCode).send({ error: { code: 'bad_request', message: message ?? 'Bad request' } });
      return reply.code(500).send({ error: { code: 'internal', message: 'The control call failed' } });
    });
  }, { prefix: '/control/stripe' });

  // The hosted pages a browser reaches through `checkout_session.url` and `account_link.url`.
  app.register(async (pages) => {
    useFormParser(pages);

    pages.get('/checkout/pay/:id', async (request, reply) => {
      const session = sandbox.snapshot().checkoutSessions.find((candidate) => candidate.id === (request.params as { id: string }).id);
      if (!session) return reply.code(404).type('text/html').send(page('Checkout', '<p>This checkout session does not exist.</p>'));
      if (session.status !== 'open') return reply.type('text/html').send(page('Checkout', `<p>This checkout session is ${escapeHtml(session.status)}.</p>`));
      return reply.type('text/html').send(page('Checkout', `<p>Pay ${session.amount_total} ${escapeHtml(session.currency.toUpperCase())} (minor units) with the sandbox test card.</p><form method="post"><button type="submit">Pay</button></form>`));
    });
    pages.post('/checkout/pay/:id', async (request, reply) => {
      const session = sandbox.completeCheckoutSession((request.params as { id: string }).id);
      if (session.success_url) return reply.redirect(session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id), 303);
      return reply.type('text/html').send(page('Checkout', '<p>Payment succeeded.</p>'));
    });
    pages.get('/connect/onboarding/:account/:token', async (request, reply) => {
      const { account, token } = request.params as { account: string; token: string };
      const link = sandbox.accountLink(token);
      if (!link || link.account !== account) return reply.code(404).type('text/html').send(page('Onboarding', '<p>This link does not exist.</p>'));
      if (link.expiresAt < sandbox.now() && link.refreshUrl) return reply.redirect(link.refreshUrl, 303);
      return reply.type('text/html').send(page('Onboarding', `<p>Complete onboarding for ${escapeHtml(account)}.</p><form method="post"><button type="submit">Agree and submit</button></form>`));
    });
    pages.post('/connect/onboarding/:account/:token', async (request, reply) => {
      const { account, token } = request.params as { account: string; token: string };
      const link = sandbox.accountLink(token);
      if (!link || link.account !== account) return reply.code(404).type('text/html').send(page('Onboarding', '<p>This link does not exist.</p>'));
      sandbox.completeOnboarding(account);
      if (link.returnUrl) return reply.redirect(link.returnUrl, 303);
      return reply.type('text/html').send(page('Onboarding', '<p>Onboarding complete.</p>'));
    });
    pages.setErrorHandler((error: unknown, _request, reply) => {
      const statusCode = error instanceof ControlError ? error.statusCode : 500;
      return reply.code(statusCode).type('text/html').send(page('Error', `<p>${escapeHtml(error instanceof ControlError ? error.message : 'Something went wrong.')}</p>`));
    });
  });
}

function optionalString(input: Body, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ControlError(400, 'invalid_body', `${name} must be a string`);
  return value;
}

function optionalNumber(input: Body, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new ControlError(400, 'invalid_body', `${name} must be an integer`);
  return number;
}

function page(title: string, content: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title} · Stripe sandbox</title></head><body><h1>${title}</h1>${content}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
