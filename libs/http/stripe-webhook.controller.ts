import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StripeWebhookService } from '#libs/marketplace';
import { Public } from './auth';

/**
 * Stripe's webhook endpoint, mounted by both APIs: every event type is handled by the same shared,
 * per-event-id idempotent handlers, so Stripe can send payment events to the advertiser API and
 * Connect/transfer events to the channel API, or everything to one of them. The signature covers
 * the raw body, which createHttpApp keeps for every API.
 */
@ApiExcludeController()
@Controller('stripe')
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhookService) {}

  @Public()
  @Post('webhook')
  @HttpCode(200)
  receive(@Req() request: RawBodyRequest<FastifyRequest>, @Headers('stripe-signature') signature: string | undefined) {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
