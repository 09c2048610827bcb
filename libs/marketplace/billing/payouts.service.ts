import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, notFound } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { updateReturning, withTransaction } from '#libs/database';
import { LedgerAccounts, LedgerService } from '#libs/ledger';
import type { PaymentsProvider } from '#libs/payments';
import { enqueueInOutbox } from '#libs/queue';
import { AccountEntity } from '../accounts/account.entities';
import { PAYMENTS_PROVIDER } from '../tokens';
import { PayoutAccountEntity, PayoutAccountStatus, PayoutEntity } from './billing.entities';
import { linkStripeMovement, StripeEventLog } from './stripe-event-log';
import { STRIPE, idOf, isUuid, requireStripe } from './stripe-provider';

export interface PayoutAccountView {
  account: PayoutAccountEntity;
  onboardingUrl: string | null;
}

interface PayoutRow {
  id: string;
  owner_id: string;
  amount_minor: string;
  currency: string;
  status: string;
  transfer_id: string | null;
}

/**
 * Owner payouts through Stripe Connect Express. The money moves earnings → in transit when the payout
 * is asked for, in transit → external when Stripe accepts the transfer, and back to earnings when
 * Stripe refuses it or it is reversed later.
 */
@Injectable()
export class PayoutsService {
  private readonly logger = new Logger(PayoutsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly events: StripeEventLog,
    @Inject(PAYMENTS_PROVIDER) private readonly provider: PaymentsProvider,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  /** Creates the owner's Express account once (idempotency key `account:<ownerId>`) and a fresh onboarding link while it is not active. */
  async ensureAccount(ownerId: string, urls: { returnUrl?: string; refreshUrl?: string } = {}): Promise<PayoutAccountView> {
    const stripe = requireStripe(this.provider);
    let account = await this.dataSource.manager.findOneBy(PayoutAccountEntity, { ownerId });
    if (!account) {
      const owner = await this.dataSource.manager.findOneByOrFail(AccountEntity, { id: ownerId });
      const { accountRef } = await this.call(() => stripe.createConnectedAccount({ ownerId, email: owner.email }));
      await this.dataSource.query(
        `INSERT INTO payout_accounts (owner_id, provider_ref, status) VALUES ($1, $2, 'onboarding') ON CONFLICT (owner_id) DO NOTHING`,
        [ownerId, accountRef],
      );
      account = await this.dataSource.manager.findOneByOrFail(PayoutAccountEntity, { ownerId });
    }
    if (account.status === 'active') return { account, onboardingUrl: null };
    const base = this.config.publicBaseUrl ?? `http://localhost:${this.config.ports.channelApi}`;
    const { url } = await this.call(() =>
      stripe.createOnboardingLink({
        accountRef: account.providerRef,
        returnUrl: urls.returnUrl ?? `${base}/payouts/onboarding/done`,
        refreshUrl: urls.refreshUrl ?? `${base}/payouts/onboarding/again`,
      }),
    );
    return { account, onboardingUrl: url };
  }

  getAccount(ownerId: string): Promise<PayoutAccountEntity | null> {
    return this.dataSource.manager.findOneBy(PayoutAccountEntity, { ownerId });
  }

  /** Pays out `amountMinor` (all available earnings when omitted) of one currency; the transfer runs in the worker. */
  async requestPayout(ownerId: string, currency: string, amountMinor?: number): Promise<PayoutEntity> {
    requireStripe(this.provider);
    const account = await this.getAccount(ownerId);
    if (!account || account.status !== 'active') throw new DomainError(ErrorCode.PayoutAccountMissing, undefined, { status: account?.status ?? null });
    const minimum = this.config.payments.payoutMinimumMinor;
    const id = await withTransaction(this.dataSource, async (tx) => {
      const available = await this.ledger.balance(LedgerAccounts.ownerEarnings(ownerId, currency), tx);
      const amount = amountMinor ?? available;
      if (amount < minimum) throw new DomainError(ErrorCode.PayoutBelowMinimum, undefined, { availableMinor: available, minimumMinor: minimum, currency });
      if (amount > available) throw new DomainError(ErrorCode.InsufficientBalance, 'The available earnings do not cover this payout.', { availableMinor: available });
      const [{ id: payoutId }] = await tx.query(
        `INSERT INTO payouts (owner_id, destination, amount_minor, currency, status) VALUES ($1, $2, $3, $4, 'pending') RETURNING id`,
        [ownerId, account.providerRef, String(amount), currency],
      );
      await this.ledger.post(tx, {
        kind: 'payout',
        reference: `payout:${payoutId}:start`,
        description: `Payout ${payoutId} to ${account.providerRef}`,
        lines: [
          { account: LedgerAccounts.ownerEarnings(ownerId, currency), amountMinor: -amount },
          { account: LedgerAccounts.ownerPayoutsInTransit(ownerId, currency), amountMinor: amount },
        ],
      });
      await enqueueInOutbox(tx, 'payout', { payoutId });
      return payoutId as string;
    });
    return this.dataSource.manager.findOneByOrFail(PayoutEntity, { id });
  }

  list(ownerId: string): Promise<PayoutEntity[]> {
    return this.dataSource.manager.find(PayoutEntity, { where: { ownerId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async get(ownerId: string, payoutId: string): Promise<PayoutEntity> {
    const payout = isUuid(payoutId) ? await this.dataSource.manager.findOneBy(PayoutEntity, { id: payoutId, ownerId }) : null;
    if (!payout) throw notFound('payout');
    return payout;
  }

  /**
   * The worker's half: the transfer, under idempotency key `payout:<id>`. An unknown outcome throws
   * (the job retries under the same key); a refusal is final for this payout id.
   */
  async drive(payoutId: string): Promise<void> {
    const payout = await this.dataSource.manager.findOneBy(PayoutEntity, { id: payoutId });
    if (!payout || payout.status !== 'pending') return;
    const result = await requireStripe(this.provider).payout({ payoutId, destination: payout.destination, amountMinor: payout.amountMinor, currency: payout.currency });
    if (result.status === 'paid' && result.providerRef) {
      await withTransaction(this.dataSource, (tx) => this.paid(tx, payoutId, result.providerRef as string));
    } else if (result.status === 'failed') {
      this.logger.warn(`payout ${payoutId} refused by Stripe: ${result.failureReason ?? 'unknown'}`);
      await withTransaction(this.dataSource, (tx) => this.failed(tx, payoutId, result.failureReason ?? 'refused'));
    }
  }

  /** `account.updated`: the status is read back from Stripe, so an old event arriving late cannot set an old state. */
  async accountUpdated(event: Stripe.Event, account: Stripe.Account): Promise<void> {
    const current = await requireStripe(this.provider).connectedAccountStatus(account.id);
    const status: PayoutAccountStatus = current.transfersActive && current.payoutsEnabled ? 'active' : current.detailsSubmitted ? 'restricted' : 'onboarding';
    await this.events.once(event, async (tx) => {
      await tx.query(
        `UPDATE payout_accounts SET status = $2, details_submitted = $3, payouts_enabled = $4, transfers_active = $5, updated_at = now() WHERE provider_ref = $1`,
        [account.id, status, current.detailsSubmitted, current.payoutsEnabled, current.transfersActive],
      );
    });
  }

  /** `transfer.created`: completes a payout whose API answer was lost (e.g. the worker died after Stripe accepted). */
  async transferCreated(event: Stripe.Event, transfer: Stripe.Transfer): Promise<void> {
    await this.events.once(event, async (tx) => {
      const payoutId = await this.payoutOf(tx, transfer);
      if (payoutId) await this.paid(tx, payoutId, transfer.id);
    });
  }

  /** `transfer.reversed`: each reversal (by its id, so duplicates and any order are harmless) returns its amount to earnings. */
  async transferReversed(event: Stripe.Event, transfer: Stripe.Transfer): Promise<void> {
    await this.events.once(event, async (tx) => {
      const payoutId = await this.payoutOf(tx, transfer);
      if (!payoutId) return;
      await this.paid(tx, payoutId, transfer.id);
      const [payout]: PayoutRow[] = await tx.query(`SELECT id, owner_id, amount_minor, currency, status, transfer_id FROM payouts WHERE id = $1 FOR UPDATE`, [payoutId]);
      for (const reversal of transfer.reversals?.data ?? []) {
        const reference = `payout:${payoutId}:reversal:${reversal.id}`;
        if (!(await linkStripeMovement(tx, { sourceId: reversal.id, kind: 'transfer_reversal', journalReference: reference, amountMinor: reversal.amount, currency: payout.currency }))) continue;
        await this.ledger.post(tx, {
          kind: 'payout_reversal',
          reference,
          description: `Transfer ${transfer.id} of payout ${payoutId} reversed (${reversal.id}); back to earnings`,
          lines: [
            { account: LedgerAccounts.external(STRIPE, payout.currency), amountMinor: -reversal.amount },
            { account: LedgerAccounts.ownerEarnings(payout.owner_id, payout.currency), amountMinor: reversal.amount },
          ],
        });
        await tx.query(
          `UPDATE payouts SET reversed_minor = reversed_minor + $2, status = CASE WHEN reversed_minor + $2 >= amount_minor THEN 'reversed' ELSE status END, updated_at = now() WHERE id = $1`,
          [payoutId, String(reversal.amount)],
        );
      }
    });
  }

  private async payoutOf(tx: EntityManager, transfer: Stripe.Transfer): Promise<string | null> {
    const fromMetadata = transfer.metadata?.['payoutId'];
    const rows: { id: string }[] = await tx.query(`SELECT id FROM payouts WHERE transfer_id = $1 OR id = $2`, [transfer.id, isUuid(fromMetadata) ? fromMetadata : null]);
    if (rows.length === 0) this.logger.warn(`transfer ${transfer.id} to ${idOf(transfer.destination)} matches no Placard payout`);
    return rows[0]?.id ?? null;
  }

  private async paid(tx: EntityManager, payoutId: string, transferId: string): Promise<void> {
    const [row] = await updateReturning<PayoutRow>(
      tx,
      `UPDATE payouts SET status = 'paid', transfer_id = $2, updated_at = now() WHERE id = $1 AND status = 'pending'
        RETURNING id, owner_id, amount_minor, currency, status, transfer_id`,
      [payoutId, transferId],
    );
    if (!row) return;
    const amountMinor = Number(row.amount_minor);
    const reference = `payout:${payoutId}:paid`;
    await this.ledger.post(tx, {
      kind: 'payout_paid',
      reference,
      description: `Payout ${payoutId} transferred (${transferId})`,
      lines: [
        { account: LedgerAccounts.ownerPayoutsInTransit(row.owner_id, row.currency), amountMinor: -amountMinor },
        { account: LedgerAccounts.external(STRIPE, row.currency), amountMinor },
      ],
    });
    await linkStripeMovement(tx, { sourceId: transferId, kind: 'transfer', journalReference: reference, amountMinor: -amountMinor, currency: row.currency });
  }

  private async failed(tx: EntityManager, payoutId: string, reason: string): Promise<void> {
    const [row] = await updateReturning<PayoutRow>(
      tx,
      `UPDATE payouts SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'
        RETURNING id, owner_id, amount_minor, currency, status, transfer_id`,
      [payoutId, reason.slice(0, 500)],
    );
    if (!row) return;
    const amountMinor = Number(row.amount_minor);
    await this.ledger.post(tx, {
      kind: 'payout_failed',
      reference: `payout:${payoutId}:failed`,
      description: `Payout ${payoutId} refused by Stripe; back to earnings`,
      lines: [
        { account: LedgerAccounts.ownerPayoutsInTransit(row.owner_id, row.currency), amountMinor: -amountMinor },
        { account: LedgerAccounts.ownerEarnings(row.owner_id, row.currency), amountMinor },
      ],
    });
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn(`Stripe call failed: ${(error as Error).message}`);
      throw new DomainError(ErrorCode.PaymentsProviderUnavailable);
    }
  }
}
