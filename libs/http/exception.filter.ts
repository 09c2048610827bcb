import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_MESSAGES, ErrorCode, errorBody } from '#libs/common';

/** Fastify's own client errors (bad JSON, wrong content type, body too large) keep their 4xx. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.InvalidJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.InvalidJson,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.ValidationFailed,
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.RouteNotFound,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
};

/**
 * Every error leaves as CONTRACT.md's body. Unknown errors become a 500 with an error id that is
 * also in the log line, so an operator can find the cause without the client seeing internals.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, body, headers } = this.describe(exception, request);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.status(status).send(body);
  }

  private describe(exception: unknown, request: FastifyRequest): { status: number; body: object; headers: Record<string, string> } {
    if (exception instanceof DomainError) {
      return { status: exception.status, body: errorBody(exception.code, exception.message, exception.details), headers: exception.headers ?? {} };
    }
    // Nest wraps Fastify's client errors in an HttpException and keeps the original as the cause
    const original = exception instanceof HttpException && exception.cause ? exception.cause : exception;
    const fastifyCode = (original as { code?: string })?.code;
    if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
      const code = FASTIFY_CODES[fastifyCode];
      const status = (original as { statusCode?: number }).statusCode ?? 400;
      return { status, body: errorBody(code, ERROR_MESSAGES[code]), headers: {} };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status] ?? ErrorCode.ValidationFailed;
      const message = status === 404 ? `No route ${request.method} ${request.url.split('?')[0]}.` : ERROR_MESSAGES[code];
      return { status, body: errorBody(code, message), headers: {} };
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, method: request.method, route: request.routeOptions?.url }, 'unhandled error');
    return {
      status: 500,
      body: errorBody(ErrorCode.Internal, ERROR_MESSAGES[ErrorCode.Internal], { errorId }),
      headers: {},
    };
  }
}
