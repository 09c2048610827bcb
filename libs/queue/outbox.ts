import { EntityManager } from 'typeorm';
import { JobDataByName, JobName, jobIdFor } from './jobs';

/** Adds a job to the outbox inside the caller's transaction. */
export async function enqueueInOutbox<N extends JobName>(
  manager: EntityManager,
  name: N,
  data: JobDataByName[N],
  runAt: Date = new Date(),
): Promise<void> {
  await manager.query(`INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3, $4)`, [
    name,
    jobIdFor(name, data),
    JSON.stringify(data),
    runAt,
  ]);
}
