import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QUEUE_OF_JOB, QueueProducer, jobIdFor } from '#libs/queue';

/** Stripe keeps an idempotency key (and its saved answer) for at least 24 h; re-send well inside that. */
export const IDEMPOTENCY_WINDOW_MS = 23 * 3600_000;
/** BullMQ states in which the job will still run: the sweep leaves those alone. */
const LIVE_JOB_STATES = new Set(['waiting', 'wait', 'active', 'delayed', 'prioritized', 'waiting-children']);

const logger = new Logger('StuckMoneyMovements');

interface StuckRow {
  kind: 'payout' | 'refund';
  id: string;
  created_at: Date;
}

/**
 * Payouts and refunds whose outcome is unknown (still `pending`, no Stripe object recorded) after their
 * job gave up (every attempt failed with a network error, a timeout or a 5xx) get a fresh job under
 * the same job id, so the same payout/refund id and the same idempotency key (`payout:<id>`,
 * `refund:<id>`): Stripe answers a retry of a request it already executed with the saved result, so
 * nothing is paid twice. A movement is looked at again once per `olderThanMs` (its `updated_at` is
 * moved on when re-queued); one older than Stripe's idempotency window is not re-sent (the key may be
 * forgotten) but logged for an operator.
 */
export async function requeueStuckMoneyMovements(
  dataSource: DataSource,
  producer: QueueProducer,
  options: { olderThanMs: number; limit?: number },
): Promise<number> {
  const rows: StuckRow[] = await dataSource.query(
    `(SELECT 'payout' AS kind, id, created_at FROM payouts
       WHERE status = 'pending' AND transfer_id IS NULL AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2)
     UNION ALL
     (SELECT 'refund' AS kind, id, created_at FROM refunds
       WHERE status = 'pending' AND provider_ref IS NULL AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2)`,
    [options.olderThanMs / 1000, options.limit ?? 100],
  );
  let requeued = 0;
  for (const row of rows) {
    const table = row.kind === 'payout' ? 'payouts' : 'refunds';
    if (Date.now() - new Date(row.created_at).getTime() > IDEMPOTENCY_WINDOW_MS) {
      logger.warn(`${row.kind} ${row.id} is still pending past Stripe's idempotency window; not re-sent, check it at Stripe (idempotency key ${row.kind}:${row.id})`);
      await dataSource.query(`UPDATE ${table} SET updated_at = now() WHERE id = $1 AND status = 'pending'`, [row.id]);
      continue;
    }
    const data = row.kind === 'payout' ? { payoutId: row.id } : { refundId: row.id };
    const jobId = row.kind === 'payout' ? jobIdFor('payout', { payoutId: row.id }) : jobIdFor('refund', { refundId: row.id });
    const job = await producer.queue(QUEUE_OF_JOB[row.kind]).getJob(jobId);
    if (job) {
      const state = await job.getState();
      if (LIVE_JOB_STATES.has(state)) continue;
      // failed (attempts used up) or completed without an outcome: the id is free for a new job
      await job.remove();
    }
    if (row.kind === 'payout') await producer.add('payout', data as { payoutId: string });
    else await producer.add('refund', data as { refundId: string });
    await dataSource.query(`UPDATE ${table} SET updated_at = now() WHERE id = $1 AND status = 'pending'`, [row.id]);
    logger.warn(`${row.kind} ${row.id} still pending after its job gave up; re-queued under the same idempotency key`);
    requeued += 1;
  }
  return requeued;
}
