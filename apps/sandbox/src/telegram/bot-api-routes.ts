import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseQueryString } from 'qs';
import { BotApiError, methodNotFound, unauthorized } from './bot-api-error';
import type { FaultInjector, FaultSpec } from './faults';
import { BOT_API_METHODS, WithDescription } from './methods';
import { parseMultipart } from './multipart';
import type { RateLimits } from './rate-limits';
import { RequestParams } from './request-params';
import type { SandboxState } from './sandbox-state';
import type { UpdateDelivery } from './update-delivery';

/**
 * /bot<token>/<method>, GET or POST, parameters in the query string, a JSON body, a urlencoded
 * form or multipart, answered with the Bot API envelope and status codes. Request logging is off
 * for these routes because the URL carries the bot token.
 */
export function registerBotApiRoutes(
  scope: FastifyInstance,
  state: SandboxState,
  delivery: UpdateDelivery,
  limits: RateLimits,
  faults: FaultInjector,
): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BotApiError(400, "Bad Request: can't parse JSON object"), undefined);
    }
  });
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, parseQueryString(String(body), { depth: 0 })),
  );
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) =>
    done(null, parseMultipart(body as Buffer, String(request.headers['content-type']))),
  );
  // anything else: parameters come from the query string only
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, {}));

  scope.setErrorHandler((error, _request, reply) => {
    const apiError = error instanceof BotApiError ? error : new BotApiError(400, 'Bad Request: invalid request');
    void reply.status(apiError.errorCode).send(apiError.toResponseBody());
  });

  scope.route({
    method: ['GET', 'POST'],
    url: '/bot*',
    logLevel: 'silent',
    handler: (request, reply) => handleCall(request, reply, { state, delivery, limits, faults }),
  });
}

interface Services {
  state: SandboxState;
  delivery: UpdateDelivery;
  limits: RateLimits;
  faults: FaultInjector;
}

async function handleCall(request: FastifyRequest, reply: FastifyReply, services: Services): Promise<void> {
  const path = (request.params as { '*': string })['*'];
  const slash = path.indexOf('/');
  const token = slash >= 0 ? path.slice(0, slash) : path;
  const methodName = slash >= 0 ? path.slice(slash + 1).toLowerCase() : '';

  const bot = services.state.botsByToken.get(decodeURIComponent(token));
  if (!bot) return sendError(reply, unauthorized());
  const method = BOT_API_METHODS.get(methodName);
  if (!method) return sendError(reply, methodNotFound());

  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const params = new RequestParams({ ...(request.query as Record<string, unknown>), ...body });
  const clientGone = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableEnded) clientGone.abort();
  });

  const fault = services.faults.take(methodName, bot.id);
  if (fault && !fault.afterEffect) return sendFault(reply, fault);
  try {
    const outcome = await method({ ...services, bot, params, clientGone: clientGone.signal });
    if (fault) return sendFault(reply, fault);
    if (clientGone.signal.aborted) return;
    const envelope =
      outcome instanceof WithDescription
        ? { ok: true, result: outcome.result, description: outcome.description }
        : { ok: true, result: outcome };
    await reply.status(200).send(envelope);
  } catch (error) {
    if (fault) return sendFault(reply, fault);
    if (error instanceof BotApiError) return sendError(reply, error);
    request.log.error({ err: error }, 'telegram sandbox method failed');
    await reply.status(500).send({ ok: false, error_code: 500, description: 'Internal Server Error' });
  }
}

async function sendError(reply: FastifyReply, error: BotApiError): Promise<void> {
  await reply.status(error.errorCode).send(error.toResponseBody());
}

async function sendFault(reply: FastifyReply, fault: FaultSpec): Promise<void> {
  switch (fault.kind) {
    case 'rate_limit': {
      const retryAfter = fault.retryAfter ?? 1;
      return sendError(reply, new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }));
    }
    case 'server_error':
      await reply.status(500).send({ ok: false, error_code: 500, description: 'Internal Server Error' });
      return;
    case 'bad_gateway':
      // what the proxy in front of the Bot API answers when the backend is down: HTML, not the envelope
      await reply
        .status(502)
        .type('text/html')
        .send('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n');
      return;
    case 'drop_connection':
      reply.hijack();
      reply.raw.socket?.destroy();
      return;
  }
}
