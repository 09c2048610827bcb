import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn } from '#libs/database';

/**
 * A Stripe event whose effect has been committed. The row is inserted in the same transaction as the
 * effect, so a redelivered event finds it and does nothing.
 */
@Entity('stripe_events')
export class StripeEventEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) type: string;
  @CreateDateColumn({ type: 'timestamptz' }) processedAt: Date;
}

/** The card payment behind a credited Stripe top-up: what a refund goes back against, oldest first. */
@Entity('top_up_payments')
@Check('top_up_payments_refunded', 'refunded_minor >= 0 AND refunded_minor <= amount_minor')
@Index('top_up_payments_account', ['accountId', 'currency', 'createdAt'])
export class TopUpPaymentEntity {
  @PrimaryColumn({ type: 'uuid' }) topUpId: string;
  @Column({ type: 'uuid' }) accountId: string;
  @Index('top_up_payments_payment_intent', { unique: true }) @Column({ type: 'text' }) paymentIntentId: string;
  @Column({ type: 'text', nullable: true }) chargeId: string | null;
  @Column(moneyColumn()) amountMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  /** refunds we asked for (pending or done) plus refunds made outside Placard */
  @Column(moneyColumn({ default: 0 })) refundedMinor: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** One refund against one PaymentIntent; its id is the idempotency key sent to Stripe. */
@Entity('refunds')
@Check('refunds_positive', 'amount_minor > 0')
@Index('refunds_account', ['accountId', 'createdAt'])
export class RefundEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) accountId: string;
  @Column({ type: 'uuid' }) topUpId: string;
  @Column({ type: 'text' }) paymentIntentId: string;
  @Column(moneyColumn()) amountMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'text' }) status: RefundStatus;
  @Column({ type: 'text', nullable: true }) providerRef: string | null;
  @Column({ type: 'text', nullable: true }) failureReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export type PayoutAccountStatus = 'onboarding' | 'active' | 'restricted';

/** An owner's Stripe Connect Express account; its status follows `account.updated`. */
@Entity('payout_accounts')
export class PayoutAccountEntity {
  @PrimaryColumn({ type: 'uuid' }) ownerId: string;
  @Index('payout_accounts_provider_ref', { unique: true }) @Column({ type: 'text' }) providerRef: string;
  @Column({ type: 'text' }) status: PayoutAccountStatus;
  @Column({ type: 'boolean', default: false }) detailsSubmitted: boolean;
  @Column({ type: 'boolean', default: false }) payoutsEnabled: boolean;
  @Column({ type: 'boolean', default: false }) transfersActive: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export type PayoutStatus = 'pending' | 'paid' | 'failed' | 'reversed';

/**
 * One attempt to pay an owner by a transfer. Its id is the transfer's idempotency key, so a refused
 * transfer (Stripe keeps the refusal under that key for 24 h) is never retried under it: the money
 * returns to earnings and the next payout is a new row with a new id.
 */
@Entity('payouts')
@Check('payouts_positive', 'amount_minor > 0')
@Check('payouts_reversed', 'reversed_minor >= 0 AND reversed_minor <= amount_minor')
@Index('payouts_owner', ['ownerId', 'createdAt'])
export class PayoutEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) ownerId: string;
  @Column({ type: 'text' }) destination: string;
  @Column(moneyColumn()) amountMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'text' }) status: PayoutStatus;
  @Index('payouts_transfer', { unique: true, where: 'transfer_id IS NOT NULL' }) @Column({ type: 'text', nullable: true }) transferId: string | null;
  @Column(moneyColumn({ default: 0 })) reversedMinor: number;
  @Column({ type: 'text', nullable: true }) failureReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * The Stripe balance transaction a ledger entry accounts for, found by its source (charge, refund,
 * transfer, transfer reversal, dispute). Reconciliation compares these with Stripe's list.
 */
@Entity('stripe_ledger_links')
@Index('stripe_ledger_links_occurred', ['occurredAt'])
export class StripeLedgerLinkEntity {
  @PrimaryColumn({ type: 'text' }) sourceId: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text' }) journalReference: string;
  /** signed, as Stripe's balance sees it: positive for money in */
  @Column(moneyColumn()) amountMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'timestamptz' }) occurredAt: Date;
}

export type ReconciliationStatus = 'queued' | 'clean' | 'differences' | 'failed';

export interface ReconciliationDifference {
  kind: 'missing' | 'extra' | 'amount_mismatch';
  sourceId: string | null;
  balanceTransactionId: string | null;
  journalReference: string | null;
  type: string | null;
  currency: string;
  ledgerMinor: number | null;
  stripeMinor: number | null;
}

@Entity('reconciliation_reports')
@Index('reconciliation_reports_created', ['createdAt'])
export class ReconciliationReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'timestamptz' }) periodFrom: Date;
  @Column({ type: 'timestamptz' }) periodTo: Date;
  @Column({ type: 'text' }) status: ReconciliationStatus;
  @Column({ type: 'text' }) trigger: string;
  @Column({ type: 'integer', default: 0 }) ledgerCount: number;
  @Column({ type: 'integer', default: 0 }) stripeCount: number;
  @Column({ type: 'jsonb', default: () => `'[]'` }) differences: ReconciliationDifference[];
  @Column({ type: 'text', nullable: true }) error: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}

export const BILLING_ENTITIES = [
  StripeEventEntity,
  TopUpPaymentEntity,
  RefundEntity,
  PayoutAccountEntity,
  PayoutEntity,
  StripeLedgerLinkEntity,
  ReconciliationReportEntity,
];
