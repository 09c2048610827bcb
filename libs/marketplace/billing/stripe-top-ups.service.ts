import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '#libs/database';
import { LedgerAccounts, LedgerService } from '#libs/ledger';
import type { PaymentsProvider } from '#libs/payments';
import { PAYMENTS_PROVIDER } from '../tokens';
import { linkStripeMovement, StripeEventLog } from './stripe-event-log';
import { STRIPE, idOf, isUuid, requireStripe } from './stripe-provider';

interface TopUpRow {
  id: string;
  account_id: string;
  amount_minor: string;
  currency: string;
  status: string;
}

/** What a payment-side event says about the top-up it belongs to. */
interface PaymentRef {
  topUpId?: string | null;
  paymentIntentId: string | null;
}

/**
 * The Stripe side of top-ups: credit on `payment_intent.succeeded`, fail on failure or cancellation,
 * freeze on a dispute, debit a refund made outside Placard. Every handler makes sure the top-up is
 * credited first when the event proves the money arrived, so they are correct in any order.
 */
@Injectable()
export class StripeTopUpsService {
  private readonly logger = new Logger(StripeTopUpsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly events: StripeEventLog,
    @Inject(PAYMENTS_PROVIDER) private readonly provider: PaymentsProvider,
  ) {}

  async paymentSucceeded(event: Stripe.Event, intent: Stripe.PaymentIntent): Promise<void> {
    const topUp = await this.findTopUp({ topUpId: intent.metadata?.['topUpId'], paymentIntentId: intent.id });
    await this.events.once(event, async (tx) => {
      if (!topUp) return this.unmatched(event, intent.id);
      await this.credit(tx, topUp.id, { paymentIntentId: intent.id, chargeId: idOf(intent.latest_charge), amountMinor: intent.amount_received || intent.amount });
    });
  }

  async paymentFailed(event: Stripe.Event, intent: Stripe.PaymentIntent): Promise<void> {
    const topUp = await this.findTopUp({ topUpId: intent.metadata?.['topUpId'], paymentIntentId: intent.id });
    const reason = event.type === 'payment_intent.canceled'
      ? `canceled${intent.cancellation_reason ? `: ${intent.cancellation_reason}` : ''}`
      : intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? 'payment_failed';
    await this.events.once(event, async (tx) => {
      if (!topUp) return this.unmatched(event, intent.id);
      // only a pending top-up fails: a late failure event never undoes a success
      await tx.query(`UPDATE top_ups SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`, [topUp.id, reason]);
    });
  }

  async checkoutExpired(event: Stripe.Event, session: Stripe.Checkout.Session): Promise<void> {
    const topUpId = session.metadata?.['topUpId'] ?? session.client_reference_id;
    await this.events.once(event, async (tx) => {
      if (!isUuid(topUpId)) return;
      await tx.query(`UPDATE top_ups SET status = 'failed', failure_reason = 'checkout_expired', updated_at = now() WHERE id = $1 AND status = 'pending'`, [topUpId]);
    });
  }

  /** A refund made outside Placard (e.g. in the Stripe dashboard) leaves the advertiser's available balance. */
  async chargeRefunded(event: Stripe.Event, charge: Stripe.Charge): Promise<void> {
    const paymentIntentId = idOf(charge.payment_intent);
    const topUp = await this.findTopUp({ topUpId: charge.metadata?.['topUpId'], paymentIntentId });
    await this.events.once(event, async (tx) => {
      if (!topUp || !paymentIntentId) return this.unmatched(event, charge.id);
      await this.credit(tx, topUp.id, { paymentIntentId, chargeId: charge.id, amountMinor: charge.amount_captured });
      const [payment] = await tx.query(`SELECT refunded_minor FROM top_up_payments WHERE top_up_id = $1 FOR UPDATE`, [topUp.id]);
      const outside = charge.amount_refunded - Number(payment?.refunded_minor ?? 0);
      if (outside <= 0) return; // our own refunds are counted when we ask for them
      await tx.query(`UPDATE top_up_payments SET refunded_minor = $2 WHERE top_up_id = $1`, [topUp.id, String(charge.amount_refunded)]);
      const available = await this.ledger.balance(LedgerAccounts.advertiserAvailable(topUp.account_id, topUp.currency), tx);
      const debit = Math.min(outside, available);
      if (debit < outside) this.logger.warn(`refund outside Placard on ${charge.id}: ${outside} refunded, only ${debit} available to debit`);
      if (debit <= 0) return;
      await this.ledger.post(tx, {
        kind: 'top_up_refund_outside',
        reference: `charge:${charge.id}:refunded:${charge.amount_refunded}`,
        description: `Refund made outside Placard on charge ${charge.id}`,
        lines: [
          { account: LedgerAccounts.advertiserAvailable(topUp.account_id, topUp.currency), amountMinor: -debit },
          { account: LedgerAccounts.external(STRIPE, topUp.currency), amountMinor: debit },
        ],
      });
    });
  }

  /** The disputed amount moves from available to frozen (as much of it as is still available). */
  async disputeCreated(event: Stripe.Event, dispute: Stripe.Dispute): Promise<void> {
    const paymentIntentId = idOf(dispute.payment_intent);
    const topUp = await this.findTopUp({ topUpId: dispute.metadata?.['topUpId'], paymentIntentId });
    await this.events.once(event, async (tx) => {
      if (!topUp || !paymentIntentId) return this.unmatched(event, dispute.id);
      await this.credit(tx, topUp.id, { paymentIntentId, chargeId: idOf(dispute.charge) });
      const reference = `dispute:${dispute.id}:freeze`;
      await linkStripeMovement(tx, { sourceId: dispute.id, kind: 'dispute', journalReference: reference, amountMinor: -dispute.amount, currency: topUp.currency });
      const available = await this.ledger.balance(LedgerAccounts.advertiserAvailable(topUp.account_id, topUp.currency), tx);
      const freeze = Math.min(dispute.amount, available);
      if (freeze < dispute.amount) this.logger.warn(`dispute ${dispute.id}: ${dispute.amount} disputed, only ${freeze} available to freeze`);
      if (freeze <= 0) return;
      await this.ledger.post(tx, {
        kind: 'dispute_freeze',
        reference,
        description: `Dispute ${dispute.id} (${dispute.reason}) on top-up ${topUp.id}`,
        lines: [
          { account: LedgerAccounts.advertiserAvailable(topUp.account_id, topUp.currency), amountMinor: -freeze },
          { account: LedgerAccounts.advertiserFrozen(topUp.account_id, topUp.currency), amountMinor: freeze },
        ],
      });
    });
  }

  /**
   * Credits a Stripe top-up once: a guarded status change (a failed attempt may still succeed later,
   * Stripe lets the payer retry the same PaymentIntent), the ledger entry, the payment a refund will
   * go back against, and the link to the charge for reconciliation.
   */
  async credit(tx: EntityManager, topUpId: string, payment: { paymentIntentId: string; chargeId: string | null; amountMinor?: number }): Promise<boolean> {
    const [row] = await updateReturning<TopUpRow>(
      tx,
      `UPDATE top_ups SET status = 'succeeded', failure_reason = NULL, provider_ref = COALESCE(provider_ref, $2), updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'failed') RETURNING id, account_id, amount_minor, currency, status`,
      [topUpId, payment.paymentIntentId],
    );
    if (!row) return false;
    const amountMinor = payment.amountMinor ?? Number(row.amount_minor);
    if (amountMinor !== Number(row.amount_minor)) this.logger.warn(`top-up ${topUpId}: asked ${row.amount_minor}, received ${amountMinor}; crediting what was received`);
    const reference = `top-up:${topUpId}`;
    await this.ledger.post(tx, {
      kind: 'top_up',
      reference,
      description: `Top-up ${topUpId} through stripe (${payment.paymentIntentId})`,
      lines: [
        { account: LedgerAccounts.external(STRIPE, row.currency), amountMinor: -amountMinor },
        { account: LedgerAccounts.advertiserAvailable(row.account_id, row.currency), amountMinor },
      ],
    });
    await tx.query(
      `INSERT INTO top_up_payments (top_up_id, account_id, payment_intent_id, charge_id, amount_minor, currency)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [topUpId, row.account_id, payment.paymentIntentId, payment.chargeId, String(amountMinor), row.currency],
    );
    if (payment.chargeId) {
      await linkStripeMovement(tx, { sourceId: payment.chargeId, kind: 'charge', journalReference: reference, amountMinor, currency: row.currency });
    }
    return true;
  }

  /** Our top-up id from the event's metadata, else from the PaymentIntent (ours, or Stripe's metadata on it). */
  private async findTopUp(ref: PaymentRef): Promise<{ id: string; account_id: string; currency: string } | null> {
    const query = (sql: string, value: string) => this.dataSource.query(sql, [value]).then((rows: { id: string; account_id: string; currency: string }[]) => rows[0] ?? null);
    const byId = `SELECT id, account_id, currency FROM top_ups WHERE id = $1 AND provider = 'stripe'`;
    if (isUuid(ref.topUpId)) {
      const found = await query(byId, ref.topUpId);
      if (found) return found;
    }
    if (!ref.paymentIntentId) return null;
    const known = await query(
      `SELECT t.id, t.account_id, t.currency FROM top_ups t
        WHERE t.provider = 'stripe' AND (t.provider_ref = $1 OR t.id = (SELECT top_up_id FROM top_up_payments WHERE payment_intent_id = $1))`,
      ref.paymentIntentId,
    );
    if (known) return known;
    // e.g. a dispute (no metadata) on a Checkout top-up whose row only knows the session id
    const intent = await requireStripe(this.provider).client.paymentIntents.retrieve(ref.paymentIntentId).catch(() => null);
    const topUpId = intent?.metadata?.['topUpId'];
    return isUuid(topUpId) ? query(byId, topUpId) : null;
  }

  private unmatched(event: Stripe.Event, objectId: string): void {
    this.logger.warn(`${event.type} ${event.id} for ${objectId} matches no Placard top-up; recorded and ignored`);
  }
}
