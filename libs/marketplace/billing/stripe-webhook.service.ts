import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError, ErrorCode } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { WebhookSignatureError, verifyStripeWebhook } from '#libs/payments';
import { PayoutsService } from './payouts.service';
import { RefundsService } from './refunds.service';
import { StripeEventLog } from './stripe-event-log';
import { StripeTopUpsService } from './stripe-top-ups.service';

/**
 * Stripe's webhook: the signature is checked on the raw body before anything is parsed or written
 * (400 `invalid_signature`, no effect), then one handler per event type runs, each in one transaction
 * with its ledger entry and the event id, so a redelivery does nothing. Every event type is handled
 * here, so any of our webhook URLs may receive any event.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);

  constructor(
    private readonly topUps: StripeTopUpsService,
    private readonly refunds: RefundsService,
    private readonly payouts: PayoutsService,
    private readonly eventLog: StripeEventLog,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<{ received: true; eventId: string }> {
    const secret = this.config.payments.stripeWebhookSecret;
    if (this.config.payments.provider !== 'stripe' || !secret) throw new DomainError(ErrorCode.RouteNotFound, 'Stripe webhooks are off (PAYMENTS_PROVIDER is not stripe).');
    let event: Stripe.Event;
    try {
      event = verifyStripeWebhook(rawBody ?? Buffer.alloc(0), signature, secret);
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        this.logger.warn(`Stripe webhook refused: ${error.reason}`);
        throw new DomainError(ErrorCode.InvalidSignature, undefined, { reason: error.reason });
      }
      throw error;
    }
    await this.dispatch(event);
    return { received: true, eventId: event.id };
  }

  async dispatch(event: Stripe.Event): Promise<void> {
    const object = event.data.object as unknown;
    switch (event.type) {
      case 'payment_intent.succeeded':
        return this.topUps.paymentSucceeded(event, object as Stripe.PaymentIntent);
      case 'payment_intent.payment_failed':
      case 'payment_intent.canceled':
        return this.topUps.paymentFailed(event, object as Stripe.PaymentIntent);
      case 'checkout.session.expired':
        return this.topUps.checkoutExpired(event, object as Stripe.Checkout.Session);
      case 'charge.refunded':
        return this.topUps.chargeRefunded(event, object as Stripe.Charge);
      case 'charge.dispute.created':
        return this.topUps.disputeCreated(event, object as Stripe.Dispute);
      case 'charge.dispute.closed':
        return this.topUps.disputeClosed(event, object as Stripe.Dispute);
      case 'refund.created':
      case 'refund.updated':
      case 'refund.failed':
      case 'charge.refund.updated': // a refund object too; older API versions send it for card refunds
        return this.refunds.refundEvent(event, object as Stripe.Refund);
      case 'account.updated':
        return this.payouts.accountUpdated(event, object as Stripe.Account);
      case 'transfer.created':
        return this.payouts.transferCreated(event, object as Stripe.Transfer);
      case 'transfer.reversed':
        return this.payouts.transferReversed(event, object as Stripe.Transfer);
      default:
        // acknowledged so Stripe stops sending it; nothing of ours changes
        this.logger.debug?.(`Stripe event ${event.type} ${event.id} needs nothing`);
        await this.eventLog.once(event, async () => undefined);
    }
  }
}
