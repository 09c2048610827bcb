import { EntityManager } from 'typeorm';
import { JobDataByName, JobName, jobIdFor } from './jobs';

/** The values of one outbox row (job_name, job_id, payload, run_at), for statements that write it themselves. */
export function outboxValues<N extends JobName>(name: N, data: JobDataByName[N], runAt: Date = new Date()): [N, string, string, Date] {
  return [name, jobIdFor(name, data), JSON.stringify(data), runAt];
}

/** Adds a job to the outbox inside the caller's transaction. */
export async function enqueueInOutbox<N extends JobName>(
  manager: EntityManager,
  name: N,
  data: JobDataByName[N],
  runAt: Date = new Date(),
): Promise<void> {
  await manager.query(`INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3, $4)`, outboxValues(name, data, runAt));
}
