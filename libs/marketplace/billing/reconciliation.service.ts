import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { maskSecrets, notFound } from '#libs/common';
import { withTransaction } from '#libs/database';
import type { PaymentsProvider, StripeBalanceTransaction } from '#libs/payments';
import { enqueueInOutbox } from '#libs/queue';
import { PAYMENTS_PROVIDER } from '../tokens';
import { ReconciliationDifference, ReconciliationReportEntity, StripeLedgerLinkEntity } from './billing.entities';
import { isUuid, isoCurrency, requireStripe } from './stripe-provider';
import { refundFailureSource } from './refunds.service';
import { disputeReinstatementSource } from './stripe-top-ups.service';

/** Balance transactions that are not movements of Placard's money (the platform paying itself out to its bank). */
const NOT_RECONCILED_TYPES = new Set(['payout', 'payout_cancel', 'payout_failure']);
/** Stripe stamps its own times; look this far past the period's edges before calling a movement missing. */
const EDGE_MARGIN_MS = 60 * 60 * 1000;

/**
 * Compares the ledger's movements through Stripe (each linked to the charge, refund, transfer,
 * reversal or dispute it accounts for) with Stripe's balance transactions for a period, and records
 * every difference: `missing` (in the ledger, not at Stripe), `extra` (at Stripe, not in the ledger),
 * `amount_mismatch`. Gross amounts are compared; Stripe's fees are the platform's cost, not the ledger's.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PAYMENTS_PROVIDER) private readonly provider: PaymentsProvider,
  ) {}

  get enabled(): boolean {
    return this.provider.name === 'stripe';
  }

  /** Queues a run (the worker's `reconcile` job) for [from, to); the report is readable at once as `queued`. */
  async schedule(period: { from: Date; to: Date }, trigger: string): Promise<ReconciliationReportEntity> {
    requireStripe(this.provider);
    const id = await withTransaction(this.dataSource, async (tx) => {
      const [{ id: reportId }] = await tx.query(
        `INSERT INTO reconciliation_reports (period_from, period_to, status, trigger) VALUES ($1, $2, 'queued', $3) RETURNING id`,
        [period.from, period.to, trigger],
      );
      await enqueueInOutbox(tx, 'reconcile', { reportId });
      return reportId as string;
    });
    return this.dataSource.manager.findOneByOrFail(ReconciliationReportEntity, { id });
  }

  async get(id: string): Promise<ReconciliationReportEntity> {
    const report = isUuid(id) ? await this.dataSource.manager.findOneBy(ReconciliationReportEntity, { id }) : null;
    if (!report) throw notFound('reconciliation report');
    return report;
  }

  recent(limit = 20): Promise<ReconciliationReportEntity[]> {
    return this.dataSource.manager.find(ReconciliationReportEntity, { order: { createdAt: 'DESC' }, take: limit });
  }

  /** Runs a queued report; running it again does nothing once it has finished. */
  async run(reportId: string): Promise<ReconciliationReportEntity | null> {
    const report = await this.dataSource.manager.findOneBy(ReconciliationReportEntity, { id: reportId });
    if (!report || report.status !== 'queued') return report;
    try {
      const { differences, ledgerCount, stripeCount } = await this.compare(report.periodFrom, report.periodTo);
      for (const difference of differences) this.logger.warn(`reconciliation ${reportId}: ${difference.kind} ${JSON.stringify(difference)}`);
      this.logger.log(`reconciliation ${reportId}: ${ledgerCount} ledger movements, ${stripeCount} Stripe transactions, ${differences.length} differences`);
      await this.dataSource.query(
        `UPDATE reconciliation_reports SET status = $2, differences = $3, ledger_count = $4, stripe_count = $5, finished_at = now() WHERE id = $1 AND status = 'queued'`,
        [reportId, differences.length === 0 ? 'clean' : 'differences', JSON.stringify(differences), ledgerCount, stripeCount],
      );
    } catch (error) {
      const message = maskSecrets(error instanceof Error ? error.message : String(error));
      this.logger.error(`reconciliation ${reportId} failed: ${message}`);
      await this.dataSource.query(`UPDATE reconciliation_reports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status = 'queued'`, [reportId, message]);
    }
    return this.dataSource.manager.findOneBy(ReconciliationReportEntity, { id: reportId });
  }

  async compare(from: Date, to: Date): Promise<{ differences: ReconciliationDifference[]; ledgerCount: number; stripeCount: number }> {
    const stripe = requireStripe(this.provider);
    const transactions: StripeBalanceTransaction[] = [];
    for await (const transaction of stripe.listBalanceTransactions(new Date(from.getTime() - EDGE_MARGIN_MS), new Date(to.getTime() + EDGE_MARGIN_MS))) {
      if (!NOT_RECONCILED_TYPES.has(transaction.type)) transactions.push(transaction);
    }
    const inPeriod = (at: Date): boolean => at >= from && at < to;
    const periodTransactions = transactions.filter((transaction) => inPeriod(transaction.createdAt));
    const bySource = new Map(transactions.filter((transaction) => transaction.sourceId).map((transaction) => [reconciliationKey(transaction) as string, transaction]));

    const links = await this.dataSource.manager
      .createQueryBuilder(StripeLedgerLinkEntity, 'link')
      .where('link.occurredAt >= :from AND link.occurredAt < :to', { from, to })
      .getMany();
    const sourceIds = periodTransactions.map(reconciliationKey).filter((id): id is string => id !== null);
    const linkedSources = new Set<string>(
      sourceIds.length === 0
        ? []
        : (await this.dataSource.query(`SELECT source_id FROM stripe_ledger_links WHERE source_id = ANY($1::text[])`, [sourceIds])).map((row: { source_id: string }) => row.source_id),
    );

    const differences: ReconciliationDifference[] = [];
    for (const link of links) {
      const transaction = bySource.get(link.sourceId);
      // a zero link says Stripe moved nothing (a dispute inquiry): nothing to find at Stripe
      if (!transaction && link.amountMinor === 0) continue;
      if (!transaction) {
        differences.push({ kind: 'missing', sourceId: link.sourceId, balanceTransactionId: null, journalReference: link.journalReference, type: link.kind, currency: link.currency, ledgerMinor: link.amountMinor, stripeMinor: null });
      } else if (transaction.amountMinor !== link.amountMinor || isoCurrency(transaction.currency) !== link.currency) {
        differences.push({ kind: 'amount_mismatch', sourceId: link.sourceId, balanceTransactionId: transaction.id, journalReference: link.journalReference, type: transaction.type, currency: link.currency, ledgerMinor: link.amountMinor, stripeMinor: transaction.amountMinor });
      }
    }
    for (const transaction of periodTransactions) {
      const key = reconciliationKey(transaction);
      if (key && linkedSources.has(key)) continue;
      differences.push({ kind: 'extra', sourceId: transaction.sourceId, balanceTransactionId: transaction.id, journalReference: null, type: transaction.type, currency: isoCurrency(transaction.currency), ledgerMinor: null, stripeMinor: transaction.amountMinor });
    }
    return { differences, ledgerCount: links.filter((link) => link.amountMinor !== 0 || bySource.has(link.sourceId)).length, stripeCount: periodTransactions.length };
  }
}

/**
 * The ledger link a balance transaction is matched with: its source, except for the money a won
 * dispute gets back, whose source is the dispute like the withdrawal's, and the money a failed refund
 * returns, whose source is the refund like the refund's own.
 */
function reconciliationKey(transaction: StripeBalanceTransaction): string | null {
  if (!transaction.sourceId) return null;
  if (transaction.reportingCategory === 'dispute_reversal') return disputeReinstatementSource(transaction.sourceId);
  if (transaction.reportingCategory === 'refund_failure' || transaction.type === 'refund_failure') return refundFailureSource(transaction.sourceId);
  return transaction.sourceId;
}
