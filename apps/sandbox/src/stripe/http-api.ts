import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import qs from 'qs';
import { expandPaths } from './expand';
import { fingerprint, IdempotencyStore } from './idempotency';
import { newId } from './ids';
import { expandParam, Params } from './params';
import { apiError, StripeApiError } from './stripe-error';
import type { RequestContext, StripeSandbox } from './stripe-sandbox';

type Operation = (input: { params: Params; pathParams: Record<string, string>; context: RequestContext }) => unknown;

const AUTH_MISSING = "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
const AUTH_INVALID = 'Invalid API Key provided. Find your API keys at https://dashboard.stripe.com/apikeys.';

/** Stripe's form encoding (`metadata[k]=v`, `expand[]=x`, `line_items[0][quantity]=1`), decoded with qs. */
export function useFormParser(instance: FastifyInstance): void {
  if (instance.hasContentTypeParser('application/x-www-form-urlencoded')) instance.removeContentTypeParser('application/x-www-form-urlencoded');
  instance.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, qs.parse(body as string, { depth: 20, arrayLimit: 1000, parameterLimit: 10_000 }));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * Registers `/v1/…` under its own encapsulated context (own body parser and 404), so the Stripe API can
 * share a Fastify instance with other test servers.
 */
export function registerStripeApi(app: FastifyInstance, sandbox: StripeSandbox, hung: Set<() => void>): void {
  app.register(async (v1) => {
    useFormParser(v1);

    const route = (method: 'GET' | 'POST' | 'DELETE', url: string, operation: Operation): void => {
      v1.route({ method, url, handler: (request, reply) => handle(sandbox, hung, request, reply, operation) });
    };

    route('POST', '/payment_intents', ({ params, context }) => sandbox.createPaymentIntent(params, context));
    route('GET', '/payment_intents/:id', ({ pathParams }) => sandbox.retrievePaymentIntent(pathParams.id));
    route('POST', '/payment_intents/:id', ({ pathParams, params, context }) => sandbox.updatePaymentIntent(pathParams.id, params, context));
    route('POST', '/payment_intents/:id/confirm', ({ pathParams, params, context }) => sandbox.confirmPaymentIntent(pathParams.id, params, context));
    route('POST', '/payment_intents/:id/cancel', ({ pathParams, params, context }) => sandbox.cancelPaymentIntent(pathParams.id, params, context));
    route('GET', '/charges/:id', ({ pathParams }) => sandbox.retrieveCharge(pathParams.id));
    route('POST', '/refunds', ({ params, context }) => sandbox.createRefund(params, context));
    route('GET', '/refunds/:id', ({ pathParams }) => sandbox.retrieveRefund(pathParams.id));
    route('GET', '/disputes/:id', ({ pathParams }) => sandbox.retrieveDispute(pathParams.id));
    route('POST', '/checkout/sessions', ({ params, context }) => sandbox.createCheckoutSession(params, context));
    route('GET', '/checkout/sessions/:id', ({ pathParams }) => sandbox.retrieveCheckoutSession(pathParams.id));
    route('POST', '/checkout/sessions/:id/expire', ({ pathParams, context }) => sandbox.expireCheckoutSession(pathParams.id, context));
    route('POST', '/accounts', ({ params }) => sandbox.createAccount(params));
    route('GET', '/accounts/:id', ({ pathParams }) => sandbox.retrieveAccount(pathParams.id));
    route('POST', '/account_links', ({ params, context }) => sandbox.createAccountLink(params, context));
    route('POST', '/transfers', ({ params, context }) => sandbox.createTransfer(params, context));
    route('GET', '/transfers/:id', ({ pathParams }) => sandbox.retrieveTransfer(pathParams.id));
    route('POST', '/transfers/:id/reversals', ({ pathParams, params, context }) => sandbox.createTransferReversal(pathParams.id, params, context));
    route('GET', '/transfers/:id/reversals', ({ pathParams, params }) => sandbox.listTransferReversals(pathParams.id, params));
    route('GET', '/balance', ({ context }) => sandbox.retrieveBalance(context));
    route('GET', '/balance_transactions', ({ params, context }) => sandbox.listBalanceTransactions(params, context));
    route('GET', '/balance_transactions/:id', ({ pathParams }) => sandbox.retrieveBalanceTransaction(pathParams.id));
    route('GET', '/events', ({ params }) => sandbox.listEvents(params));
    route('GET', '/events/:id', ({ pathParams }) => sandbox.retrieveEvent(pathParams.id));

    v1.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0];
      reply.header('Request-Id', newId('req', 14)).code(404).send({
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` },
      });
    });
    v1.setErrorHandler((error, request, reply) => {
      // Body parser failures and the like: Stripe answers them as invalid requests, never a 500.
      const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
      if (statusCode >= 500) request.log.error({ err: error }, 'stripe sandbox: unexpected error');
      reply.header('Request-Id', newId('req', 14)).code(statusCode >= 500 ? 500 : 400)
        .send(statusCode >= 500 ? apiError().toJSON() : { error: { type: 'invalid_request_error', message: 'Invalid request: the body could not be decoded.' } });
    });
  }, { prefix: '/v1' });
}

async function handle(sandbox: StripeSandbox, hung: Set<() => void>, request: FastifyRequest, reply: FastifyReply, operation: Operation): Promise<unknown> {
  const requestId = newId('req', 14);
  reply.header('Request-Id', requestId);
  reply.header('Stripe-Version', headerValue(request, 'stripe-version') ?? sandbox.apiVersion);

  const apiKey = authenticate(sandbox, request);
  if (apiKey === null) return reply.code(401).send({ error: { type: 'invalid_request_error', message: headerValue(request, 'authorization') ? AUTH_INVALID : AUTH_MISSING } });

  const path = request.url.split('?')[0];
  const method = request.method.toUpperCase();
  const fault = sandbox.faults.take(method, path);
  if (fault?.when === 'before') return fault.mode === 'hang' ? hang(request, reply, hung) : reply.code(500).send(apiError().toJSON());

  const params = requestParams(request);
  const stripeAccount = headerValue(request, 'stripe-account');
  const idempotencyKey = method === 'POST' ? headerValue(request, 'idempotency-key') ?? null : null;
  const context: RequestContext = { requestId, idempotencyKey, baseUrl: `${request.protocol}://${request.host}`, stripeAccount };

  let statusCode: number;
  let body: unknown;
  const scopedKey = idempotencyKey ? IdempotencyStore.scope(apiKey, stripeAccount, idempotencyKey) : null;
  const saved = scopedKey ? sandbox.idempotency.get(scopedKey) : undefined;
  const requestFingerprint = fingerprint(method, path, params);

  if (saved && saved.fingerprint !== requestFingerprint) {
    statusCode = 400;
    body = { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` } };
  } else if (saved) {
    statusCode = saved.statusCode;
    body = structuredClone(saved.body);
    reply.header('Idempotent-Replayed', 'true');
    reply.header('Original-Request', saved.requestId);
  } else {
    let save = true;
    try {
      const result = operation({ params, pathParams: request.params as Record<string, string>, context });
      statusCode = 200;
      body = expandPaths(structuredClone(result), expandParam(params), (id) => sandbox.lookup(id));
    } catch (error) {
      if (error instanceof StripeApiError) {
        statusCode = error.statusCode;
        body = error.toJSON();
        save = error.saveForIdempotency;
      } else {
        request.log.error({ err: error }, 'stripe sandbox: handler failed');
        statusCode = 500;
        body = apiError().toJSON();
      }
    }
    if (scopedKey && save) sandbox.idempotency.save(scopedKey, { fingerprint: requestFingerprint, statusCode, body, requestId });
    if (idempotencyKey) reply.header('Idempotency-Key', idempotencyKey);
  }

  if (fault?.when === 'after') return fault.mode === 'hang' ? hang(request, reply, hung) : reply.code(500).send(apiError().toJSON());
  return reply.code(statusCode).send(body);
}

/** The API key from `Authorization: Bearer sk_test_…` (or HTTP Basic with the key as user), or null. */
function authenticate(sandbox: StripeSandbox, request: FastifyRequest): string | null {
  const header = headerValue(request, 'authorization');
  if (!header) return null;
  let key: string | undefined;
  const [scheme, credentials] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') key = credentials?.trim();
  else if (scheme?.toLowerCase() === 'basic' && credentials) key = Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
  if (!key || !/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) return null;
  if (sandbox.apiKey !== undefined && key !== sandbox.apiKey) return null;
  return key;
}

function requestParams(request: FastifyRequest): Params {
  const query = request.url.includes('?') ? qs.parse(request.url.slice(request.url.indexOf('?') + 1), { depth: 20, arrayLimit: 1000 }) : {};
  const body = typeof request.body === 'object' && request.body !== null ? (request.body as Params) : {};
  return { ...(query as Params), ...body };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Never answers: the client's timeout fires and it closes the connection (or the sandbox closes it). */
function hang(request: FastifyRequest, reply: FastifyReply, hung: Set<() => void>): Promise<void> {
  reply.hijack();
  return new Promise((resolve) => {
    const release = (): void => {
      hung.delete(release);
      if (!reply.raw.destroyed) reply.raw.destroy();
      resolve();
    };
    hung.add(release);
    request.raw.socket.once('close', release);
  });
}
