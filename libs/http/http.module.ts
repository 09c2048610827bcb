import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AccountKind, MarketplaceModule } from '#libs/marketplace';
import { API_AUDIENCE, ApiKeyGuard, OperatorGuard } from './auth';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { RateLimiter } from './rate-limiter';

/** What every API process shares: key auth for its one audience, rate limits, idempotency. */
@Global()
@Module({})
export class HttpKitModule {
  static forAudience(audience: AccountKind): DynamicModule {
    return {
      module: HttpKitModule,
      imports: [MarketplaceModule],
      providers: [
        { provide: API_AUDIENCE, useValue: audience },
        RateLimiter,
        OperatorGuard,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [API_AUDIENCE, RateLimiter, OperatorGuard],
    };
  }
}
