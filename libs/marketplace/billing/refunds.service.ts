import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '#libs/common';
import { updateReturning, withTransaction } from '#libs/database';
import { LedgerAccounts, LedgerService } from '#libs/ledger';
import { StripeProviderError, type PaymentsProvider } from '#libs/payments';
import { enqueueInOutbox } from '#libs/queue';
import { PAYMENTS_PROVIDER } from '../tokens';
import { RefundEntity } from './billing.entities';
import { linkStripeMovement, StripeEventLog } from './stripe-event-log';
import { STRIPE, isUuid, requireStripe } from './stripe-provider';

/**
 * The reconciliation key of the balance transaction that returns a failed refund's money: Stripe gives
 * it the refund as its source too, next to the refund's own.
 */
export const refundFailureSource = (stripeRefundId: string): string => `${stripeRefundId}:failed`;

interface RefundRow {
  id: string;
  account_id: string;
  top_up_id: string;
  amount_minor: string;
  currency: string;
}

/**
 * Unused balance goes back to the cards it came from: one refund per PaymentIntent, oldest payment
 * first. The money leaves the available balance when the refund is asked for (one ledger entry per
 * refund, so it cannot be booked meanwhile); a refund Stripe refuses puts it back.
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly events: StripeEventLog,
    @Inject(PAYMENTS_PROVIDER) private readonly provider: PaymentsProvider,
  ) {}

  /** Refunds `amountMinor` (all that is available and refundable when omitted); the Stripe calls run in the worker. */
  async requestRefund(accountId: string, currency: string, amountMinor?: number): Promise<RefundEntity[]> {
    requireStripe(this.provider);
    const ids = await withTransaction(this.dataSource, async (tx) => {
      const available = await this.ledger.balance(LedgerAccounts.advertiserAvailable(accountId, currency), tx);
      const payments: { top_up_id: string; payment_intent_id: string; left: string }[] = await tx.query(
        `SELECT top_up_id, payment_intent_id, amount_minor - refunded_minor AS left FROM top_up_payments
          WHERE account_id = $1 AND currency = $2 AND amount_minor > refunded_minor ORDER BY created_at, top_up_id FOR UPDATE`,
        [accountId, currency],
      );
      const refundable = Math.min(available, payments.reduce((sum, payment) => sum + Number(payment.left), 0));
      const wanted = amountMinor ?? refundable;
      if (wanted <= 0 || refundable <= 0) throw new DomainError(ErrorCode.NothingToRefund, undefined, { availableMinor: available, refundableMinor: refundable });
      if (wanted > available) throw new DomainError(ErrorCode.InsufficientBalance, undefined, { availableMinor: available });
      if (wanted > refundable) {
        throw new DomainError(ErrorCode.NothingToRefund, 'Only part of this amount came from card payments that can be refunded.', { refundableMinor: refundable });
      }
      const created: string[] = [];
      let left = wanted;
      for (const payment of payments) {
        if (left === 0) break;
        const part = Math.min(left, Number(payment.left));
        left -= part;
        const [{ id }] = await tx.query(
          `INSERT INTO refunds (account_id, top_up_id, payment_intent_id, amount_minor, currency, status) VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id`,
          [accountId, payment.top_up_id, payment.payment_intent_id, String(part), currency],
        );
        await tx.query(`UPDATE top_up_payments SET refunded_minor = refunded_minor + $2 WHERE top_up_id = $1`, [payment.top_up_id, String(part)]);
        await this.ledger.post(tx, {
          kind: 'refund',
          reference: `refund:${id}`,
          description: `Refund ${id} of top-up ${payment.top_up_id} to the card (${payment.payment_intent_id})`,
          lines: [
            { account: LedgerAccounts.advertiserAvailable(accountId, currency), amountMinor: -part },
            { account: LedgerAccounts.external(STRIPE, currency), amountMinor: part },
          ],
        });
        await enqueueInOutbox(tx, 'refund', { refundId: id });
        created.push(id);
      }
      return created;
    });
    return this.dataSource.manager.find(RefundEntity, { where: ids.map((id) => ({ id })), order: { createdAt: 'ASC' } });
  }

  list(accountId: string): Promise<RefundEntity[]> {
    return this.dataSource.manager.find(RefundEntity, { where: { accountId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  /** The worker's half: asks Stripe (idempotency key `refund:<id>`); safe to run again. */
  async drive(refundId: string): Promise<void> {
    const refund = await this.dataSource.manager.findOneBy(RefundEntity, { id: refundId });
    if (!refund || refund.status !== 'pending') return;
    try {
      const result = await requireStripe(this.provider).refund({ refundId, providerRef: refund.paymentIntentId, amountMinor: refund.amountMinor });
      if (result.status === 'succeeded') await withTransaction(this.dataSource, (tx) => this.succeeded(tx, refundId, result.providerRef));
      else if (result.status === 'failed') await withTransaction(this.dataSource, (tx) => this.failed(tx, refundId, 'refused'));
      else if (result.providerRef) await this.dataSource.query(`UPDATE refunds SET provider_ref = $2 WHERE id = $1 AND provider_ref IS NULL`, [refundId, result.providerRef]);
    } catch (error) {
      // unknown outcome: the job retries under the same key; a refusal will not change, so give the money back
      if (!(error instanceof StripeProviderError) || error.retryable) throw error;
      this.logger.warn(`refund ${refundId} refused by Stripe: ${error.code}`);
      await withTransaction(this.dataSource, (tx) => this.failed(tx, refundId, error.code));
    }
  }

  /**
   * `refund.created`, `refund.updated`, `refund.failed` (and `charge.refund.updated`): settles a refund
   * we asked for, whichever arrives first. A refund may also fail after it succeeded (Stripe: the card
   * was closed, lost or stolen, and the issuer sent the money back): then it is undone like a refusal.
   */
  async refundEvent(event: Stripe.Event, refund: Stripe.Refund): Promise<void> {
    const refundId = refund.metadata?.['refundId'];
    await this.events.once(event, async (tx) => {
      if (!isUuid(refundId)) return; // not one of ours: charge.refunded accounts for it
      if (refund.status === 'succeeded') await this.succeeded(tx, refundId, refund.id);
      if (refund.status === 'failed' || refund.status === 'canceled') await this.failed(tx, refundId, refund.failure_reason ?? refund.status, refund);
    });
  }

  private async succeeded(tx: EntityManager, refundId: string, providerRef: string | null): Promise<void> {
    const [row] = await updateReturning<RefundRow>(
      tx,
      `UPDATE refunds SET status = 'succeeded', provider_ref = COALESCE($2, provider_ref), updated_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING id, account_id, top_up_id, amount_minor, currency`,
      [refundId, providerRef],
    );
    if (row && providerRef) {
      await linkStripeMovement(tx, { sourceId: providerRef, kind: 'refund', journalReference: `refund:${refundId}`, amountMinor: -Number(row.amount_minor), currency: row.currency });
    }
  }

  /**
   * A refund that will not reach the card, pending or already succeeded: once (the status is the guard,
   * the journal reference `refund:<id>:failed` the backstop) the money goes back to the available
   * balance and the payment can be refunded again. With Stripe's refund object, its balance
   * transactions are linked for reconciliation: the refund's own (if a failure came first) and the one
   * returning the money (`failure_balance_transaction`).
   */
  private async failed(tx: EntityManager, refundId: string, reason: string, stripeRefund?: Stripe.Refund): Promise<void> {
    const [row]: (RefundRow & { status: string })[] = await tx.query(
      `SELECT id, account_id, top_up_id, amount_minor, currency, status FROM refunds WHERE id = $1 FOR UPDATE`,
      [refundId],
    );
    if (!row || (row.status !== 'pending' && row.status !== 'succeeded')) return;
    await tx.query(
      `UPDATE refunds SET status = 'failed', failure_reason = $2, provider_ref = COALESCE(provider_ref, $3), updated_at = now() WHERE id = $1`,
      [refundId, reason, stripeRefund?.id ?? null],
    );
    if (row.status === 'succeeded') this.logger.warn(`refund ${refundId} failed after it succeeded (${reason}); the money is back on the available balance`);
    const amountMinor = Number(row.amount_minor);
    await tx.query(`UPDATE top_up_payments SET refunded_minor = GREATEST(0, refunded_minor - $2) WHERE top_up_id = $1`, [row.top_up_id, String(amountMinor)]);
    const reference = `refund:${refundId}:failed`;
    await this.ledger.post(tx, {
      kind: 'refund_failed',
      reference,
      description: `Refund ${refundId} ${row.status === 'succeeded' ? 'failed after it succeeded' : 'refused'} (${reason}); back to the available balance`,
      lines: [
        { account: LedgerAccounts.external(STRIPE, row.currency), amountMinor: -amountMinor },
        { account: LedgerAccounts.advertiserAvailable(row.account_id, row.currency), amountMinor },
      ],
    });
    if (!stripeRefund) return;
    if (stripeRefund.balance_transaction) {
      // the refund took the money first (already linked when it succeeded here)
      await linkStripeMovement(tx, { sourceId: stripeRefund.id, kind: 'refund', journalReference: `refund:${refundId}`, amountMinor: -amountMinor, currency: row.currency });
    }
    const returned = stripeRefund.failure_balance_transaction;
    if (returned) {
      await linkStripeMovement(tx, {
        sourceId: refundFailureSource(stripeRefund.id),
        kind: 'refund_failure',
        journalReference: reference,
        amountMinor,
        currency: row.currency,
        occurredAt: typeof returned === 'string' ? undefined : new Date(returned.created * 1000),
      });
    }
  }
}
