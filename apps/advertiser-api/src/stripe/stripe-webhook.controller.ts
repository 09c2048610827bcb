import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '#libs/http';
import { StripeWebhookService } from '#libs/marketplace';

/**
 * Stripe's webhook endpoint. Both APIs mount it and handle every event type (the handlers are shared
 * and idempotent per event id); configure payment events to this API and Connect/transfer events to
 * the channel API, or everything to one of them. The raw body is what the signature covers.
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
