import { DataSource } from 'typeorm';
import { JobDataByName, JobName, QUEUE_OF_JOB } from './jobs';
import { QueueProducer } from './queue-producer';

interface OutboxRow {
  id: string;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
  run_at: Date;
}

/**
 * Moves committed outbox rows into BullMQ. Rows are locked with SKIP LOCKED so several relays can
 * run; a row is marked relayed only after Redis accepted the job, so a crash in between relays it
 * again (the deterministic job id and idempotent handlers make that harmless).
 */
export class OutboxRelay {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly batchSize = 200,
  ) {}

  /** Relays one batch; returns how many rows it relayed. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, job_name, job_id, payload, run_at FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const now = Date.now();
      for (const row of rows) {
        if (!(row.job_name in QUEUE_OF_JOB)) throw new Error(`outbox row ${row.id} names unknown job ${row.job_name}`);
      }
      await this.producer.addBulk(
        rows.map((row) => ({
          name: row.job_name as JobName,
          data: row.payload as unknown as JobDataByName[JobName],
          jobId: row.job_id,
          delayMs: new Date(row.run_at).getTime() - now,
        })),
      );
      await manager.query(`UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /** Relays until the outbox is empty. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch();
      total += relayed;
      if (relayed < this.batchSize) return total;
    }
  }
}
