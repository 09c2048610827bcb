import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '#libs/common';
import { AccountKind, AccountsService, AuthenticatedAccount } from '#libs/marketplace';
import { RateLimiter } from './rate-limiter';

export const API_AUDIENCE = Symbol('API_AUDIENCE');
const PUBLIC_ROUTE = 'placard:public';

/** Marks a route that needs no API key (account sign-up, webhooks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

type AuthedRequest = FastifyRequest & { account?: AuthenticatedAccount };

export const CurrentAccount = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedAccount => {
  const account = context.switchToHttp().getRequest<AuthedRequest>().account;
  if (!account) throw new DomainError(ErrorCode.Unauthorized);
  return account;
});

export function bearerKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/**
 * Every route needs a key of this API's audience, unless marked @Public. An advertiser key on the
 * channel API is a 401 like a wrong key. Requests are rate limited per key (per address when public).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
    private readonly limiter: RateLimiter,
    @Inject(API_AUDIENCE) private readonly audience: AccountKind,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) {
      await this.limiter.consume(`ip:${request.ip}`);
      return true;
    }
    const account = await this.accounts.authenticate(bearerKey(request), this.audience);
    await this.limiter.consume(`key:${account.keyId}`);
    request.account = account;
    return true;
  }
}

/** The operator API surface lives on the channel API but takes operator keys only. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(private readonly accounts: AccountsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    request.account = await this.accounts.authenticate(bearerKey(request), 'operator');
    return true;
  }
}
