import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiKeyGuard, OperatorGuard } from './auth';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { RateLimiter } from './rate-limiter';

/** What every API process shares: key auth and rate limits, idempotency. */
@Global()
@Module({
  providers: [
    RateLimiter,
    OperatorGuard,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [RateLimiter, OperatorGuard],
})
export class HttpKitModule {}
