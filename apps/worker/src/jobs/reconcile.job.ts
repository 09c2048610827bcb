import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { ReconciliationService } from '#libs/marketplace';
import type { ReconcileJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { ReconcileJobData };

/**
 * Runs one queued reconciliation report (ledger vs Stripe balance transactions) and publishes its
 * outcome as metrics; the differences themselves are logged by the service and kept on the report.
 */
@Injectable()
export class ReconcileJob implements JobHandler<'reconcile'> {
  readonly name = 'reconcile' as const;
  private readonly runs: Counter<string>;
  private readonly differences: Gauge<string>;

  constructor(
    private readonly reconciliation: ReconciliationService,
    registry: Registry,
  ) {
    this.runs = new Counter({ name: 'stripe_reconciliation_runs_total', help: 'reconciliation runs by outcome', labelNames: ['status'], registers: [registry] });
    this.differences = new Gauge({
      name: 'stripe_reconciliation_differences',
      help: 'differences found by the latest reconciliation run, by kind',
      labelNames: ['kind'],
      registers: [registry],
    });
  }

  async run(data: ReconcileJobData) {
    const report = await this.reconciliation.run(data.reportId);
    if (!report || report.status === 'queued') return report?.status ?? 'missing';
    this.runs.inc({ status: report.status });
    for (const kind of ['missing', 'extra', 'amount_mismatch'] as const) {
      this.differences.set({ kind }, report.differences.filter((difference) => difference.kind === kind).length);
    }
    return report.status;
  }
}
