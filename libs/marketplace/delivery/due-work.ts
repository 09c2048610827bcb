import { DataSource } from 'typeorm';
import { JobDataByName, JobName, QueueProducer } from '#libs/queue';

/**
 * Re-derives due work from Postgres and enqueues it (idempotently, by deterministic job id). The
 * outbox already queues everything once; this sweep is what makes a lost Redis (restart without
 * persistence, eviction, a flushed queue) or a job that ran out of attempts harmless: the database
 * still knows what is due.
 */
export async function enqueueDueWork(dataSource: DataSource, producer: QueueProducer, limit = 500): Promise<number> {
  const due: { job: JobName; data: JobDataByName[JobName] }[] = [];
  const expiring: { id: string }[] = await dataSource.query(
    `SELECT id FROM placements WHERE status = 'offered' AND offer_expires_at <= now() LIMIT $1`,
    [limit],
  );
  due.push(...expiring.map((row) => ({ job: 'expire-offer' as const, data: { placementId: row.id } })));
  const publishing: { id: string }[] = await dataSource.query(
    `SELECT id FROM placements WHERE status = 'scheduled' AND starts_at <= now() LIMIT $1`,
    [limit],
  );
  due.push(...publishing.map((row) => ({ job: 'publish' as const, data: { placementId: row.id } })));
  // published placements: every checkpoint that is due but has no checks stored yet
  const verifying: { id: string; checkpoint: number }[] = await dataSource.query(
    `SELECT p.id, cp.ordinality - 1 AS checkpoint
       FROM placements p, jsonb_array_elements_text(p.checkpoints) WITH ORDINALITY AS cp(at, ordinality)
      WHERE p.status = 'published' AND cp.at::timestamptz <= now()
        AND NOT EXISTS (SELECT 1 FROM delivery_checks d WHERE d.placement_id = p.id AND d.checkpoint = cp.ordinality - 1)
      LIMIT $1`,
    [limit],
  );
  due.push(...verifying.map((row) => ({ job: 'verify' as const, data: { placementId: row.id, checkpoint: Number(row.checkpoint) } })));
  const settling: { id: string }[] = await dataSource.query(
    `SELECT DISTINCT p.id FROM placements p JOIN delivery_checks d ON d.placement_id = p.id
      WHERE p.status = 'published' AND (d.verdict = 'failed' OR d.checkpoint = jsonb_array_length(p.checkpoints) - 1) LIMIT $1`,
    [limit],
  );
  due.push(...settling.map((row) => ({ job: 'settle' as const, data: { placementId: row.id } })));
  for (const item of due) await producer.requeue(item.job, item.data);
  return due.length;
}
