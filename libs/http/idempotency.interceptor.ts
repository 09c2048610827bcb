import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '#libs/common';
import type { AuthenticatedAccount } from '#libs/marketplace';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SHOWS_SECRET = 'placard:shows-secret';

/**
 * Marks a route whose response carries a secret shown once (a new API key): its response is never
 * stored for replay, so the Idempotency-Key header is not honoured there.
 */
export const ShowsSecretOnce = (): MethodDecorator => SetMetadata(SHOWS_SECRET, true);

interface StoredError {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * Idempotency-Key on write endpoints: the first response (success or 4xx) is stored; a retry with
 * the same key and body gets it back and writes nothing; the same key with another body is a 422.
 * A 5xx is not stored, so the client may retry it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { account?: AuthenticatedAccount }>();
    const header = request.headers['idempotency-key'];
    if (!WRITE_METHODS.has(request.method) || header === undefined) return next.handle();
    if (this.reflector.get<boolean>(SHOWS_SECRET, context.getHandler())) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || key.length > 255) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1 to 255 characters.', { field: 'Idempotency-Key' });
    }
    const scope = request.account?.id ?? `public:${request.ip}`;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.run(scope, key, requestHash, reply, () => lastValueFrom(next.handle())));
  }

  private async run(scope: string, key: string, requestHash: string, reply: FastifyReply, handle: () => Promise<unknown>): Promise<unknown> {
    const inserted = await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    );
    if (inserted.length === 0) return this.replay(scope, key, requestHash, reply);
    try {
      const body = await handle();
      await this.dataSource.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`, [
        scope,
        key,
        200,
        JSON.stringify(body ?? null),
      ]);
      return body;
    } catch (error) {
      if (error instanceof DomainError && error.status < 500) {
        const stored: StoredError = { error: { code: error.code, message: error.message, details: error.details } };
        await this.dataSource.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`, [
          scope,
          key,
          error.status,
          JSON.stringify(stored),
        ]);
      } else {
        await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
      }
      throw error;
    }
  }

  private async replay(scope: string, key: string, requestHash: string, reply: FastifyReply): Promise<unknown> {
    const rows: { request_hash: string; response_status: number | null; response_body: unknown }[] = await this.dataSource.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    if (!row) throw new DomainError(ErrorCode.IdempotencyInProgress);
    if (row.request_hash !== requestHash) throw new DomainError(ErrorCode.IdempotencyKeyReused, undefined, { key });
    if (row.response_status === null) throw new DomainError(ErrorCode.IdempotencyInProgress, undefined, { key });
    reply.header('Idempotent-Replayed', 'true');
    if (row.response_status >= 400) {
      const stored = row.response_body as StoredError;
      throw new DomainError(stored.error.code, stored.error.message, stored.error.details, { 'Idempotent-Replayed': 'true' });
    }
    return row.response_body;
  }
}
