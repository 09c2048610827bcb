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

/** What the end of a dispute does with the frozen amount, by the dispute's final status. */
const DISPUTE_OUTCOMES: Partial<Record<Stripe.Dispute.Status, 'release' | 'write_off'>> = {
  won: 'release',
  warning_closed: 'release',
  prevented: 'release',
  lost: 'write_off',
};

/**
 * The reconciliation key of the balance transaction that gives a won dispute's money back: Stripe
 * gives it the dispute as its source too, next to the withdrawal.
 */
export const disputeReinstatementSource = (disputeId: string): string => `${disputeId}:reinstated`;

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

  /**
   * A refund made outside Placard (e.g. in the Stripe dashboard) leaves the advertiser's available
   * balance. The charge is read back from Stripe: `amount_refunded` drops when a refund fails, so an
   * old or redelivered event would count our own failed refund as one made outside.
   */
  async chargeRefunded(event: Stripe.Event, eventCharge: Stripe.Charge): Promise<void> {
    const charge = await requireStripe(this.provider).client.charges.retrieve(eventCharge.id);
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
      await this.freezeOnce(tx, topUp, dispute, paymentIntentId);
    });
  }

  /**
   * `charge.dispute.closed`: `won` (and `warning_closed`, `prevented`: nothing was or will be taken)
   * gives the frozen amount back to the available balance; `lost` writes it off to Stripe, which took
   * the money back when the dispute opened. A close arriving before its `charge.dispute.created`
   * freezes first; the journal references make a second close of the same dispute do nothing.
   */
  async disputeClosed(event: Stripe.Event, dispute: Stripe.Dispute): Promise<void> {
    const paymentIntentId = idOf(dispute.payment_intent);
    const topUp = await this.findTopUp({ topUpId: dispute.metadata?.['topUpId'], paymentIntentId });
    await this.events.once(event, async (tx) => {
      if (!topUp || !paymentIntentId) return this.unmatched(event, dispute.id);
      const outcome = DISPUTE_OUTCOMES[dispute.status];
      if (!outcome) {
        this.logger.warn(`${event.type} ${event.id}: dispute ${dispute.id} has status ${dispute.status}, not a final one; nothing changes`);
        return;
      }
      await this.freezeOnce(tx, topUp, dispute, paymentIntentId);
      const references = { release: `dispute:${dispute.id}:released`, write_off: `dispute:${dispute.id}:lost` };
      const [closed] = await tx.query(`SELECT reference FROM journal_entries WHERE reference = ANY($1::text[]) LIMIT 1`, [Object.values(references)]);
      if (closed) return; // closed before (a second close event of the same dispute)
      if (outcome === 'release') {
        // what Stripe gave back (the `dispute_reversal` balance transaction), for reconciliation
        for (const transaction of dispute.balance_transactions ?? []) {
          if (transaction.reporting_category !== 'dispute_reversal') continue;
          await linkStripeMovement(tx, {
            sourceId: disputeReinstatementSource(dispute.id),
            kind: 'dispute_reversal',
            journalReference: references.release,
            amountMinor: transaction.amount,
            currency: topUp.currency,
            occurredAt: new Date(transaction.created * 1000),
          });
        }
      } else {
        // the charge is charged back: nothing of it can be refunded any more
        await tx.query(`UPDATE top_up_payments SET refunded_minor = LEAST(amount_minor, refunded_minor + $2) WHERE top_up_id = $1`, [topUp.id, String(dispute.amount)]);
      }
      const frozenAccount = LedgerAccounts.advertiserFrozen(topUp.account_id, topUp.currency);
      const [row] = await tx.query(
        `SELECT COALESCE(SUM(l.amount_minor), 0) AS frozen FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
          WHERE e.reference = $1 AND l.account_code = $2`,
        [`dispute:${dispute.id}:freeze`, frozenAccount.code],
      );
      const frozen = Number(row?.frozen ?? 0);
      if (outcome === 'write_off' && frozen < dispute.amount) {
        this.logger.warn(`dispute ${dispute.id} lost: ${dispute.amount} taken back by Stripe, only ${frozen} was frozen to write off`);
      }
      if (frozen <= 0) return;
      await this.ledger.post(tx, outcome === 'release'
        ? {
          kind: 'dispute_release',
          reference: references.release,
          description: `Dispute ${dispute.id} closed ${dispute.status}; the frozen amount is available again`,
          lines: [
            { account: frozenAccount, amountMinor: -frozen },
            { account: LedgerAccounts.advertiserAvailable(topUp.account_id, topUp.currency), amountMinor: frozen },
          ],
        }
        : {
          kind: 'dispute_lost',
          reference: references.write_off,
          description: `Dispute ${dispute.id} lost; Stripe kept the disputed amount`,
          lines: [
            { account: frozenAccount, amountMinor: -frozen },
            { account: LedgerAccounts.external(STRIPE, topUp.currency), amountMinor: frozen },
          ],
        });
    });
  }

  /**
   * Freezes a dispute's amount once: the link to Stripe's withdrawal (none for an inquiry, which takes
   * nothing: a zero link) is the guard, so the created and closed events may come in any order.
   */
  private async freezeOnce(tx: EntityManager, topUp: { id: string; account_id: string; currency: string }, dispute: Stripe.Dispute, paymentIntentId: string): Promise<void> {
    await this.credit(tx, topUp.id, { paymentIntentId, chargeId: idOf(dispute.charge) });
    const reference = `dispute:${dispute.id}:freeze`;
    const withdrawn = dispute.status.startsWith('warning_') ? 0 : dispute.amount;
    const first = await linkStripeMovement(tx, { sourceId: dispute.id, kind: 'dispute', journalReference: reference, amountMinor: -withdrawn, currency: topUp.currency, occurredAt: new Date(dispute.created * 1000) });
    if (!first) return;
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
