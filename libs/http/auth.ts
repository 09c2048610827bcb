import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { AccountKind, AccountsService, AuthenticatedAccount, TtlCache, hashApiKey, kindOfKey } from '#libs/marketplace';
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
 * A key's account is remembered for API_KEY_CACHE_SECONDS (by the key's hash; failures are not
 * remembered), and every request, remembered or not, checks the key's revocation marker in the rate
 * limiter's round trip, so a revoked key is refused at once by every process.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly known: TtlCache<AuthenticatedAccount>;

  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
    private readonly limiter: RateLimiter,
    @Inject(API_AUDIENCE) private readonly audience: AccountKind,
    @Inject(PLACARD_CONFIG) config: PlacardConfig,
  ) {
    this.known = new TtlCache(config.apiKeyCacheSeconds * 1000, 10_000);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) {
      await this.limiter.consume(`ip:${request.ip}`);
      return true;
    }
    const rawKey = bearerKey(request);
    if (!rawKey || kindOfKey(rawKey) !== this.audience) throw new DomainError(ErrorCode.Unauthorized);
    const keyHash = hashApiKey(rawKey);
    const account = await this.known.get(keyHash, () => this.accounts.authenticate(rawKey, this.audience));
    const { revoked } = await this.limiter.consumeKey(account.keyId);
    if (revoked) {
      this.known.delete(keyHash);
      throw new DomainError(ErrorCode.Unauthorized);
    }
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
