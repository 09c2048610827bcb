import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, JOB_OPTION_OVERRIDES, JobDataByName, JobName, QUEUE_OF_JOB, QueueName, QUEUES, jobIdFor } from './jobs';
import { queuePrefix } from './connection';

/** One Queue object per queue name, sharing a Redis connection. */
export class QueueProducer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(connection: Redis) {
    for (const name of Object.values(QUEUES)) {
      this.queues.set(name, new Queue(name, { connection, prefix: queuePrefix(), defaultJobOptions: DEFAULT_JOB_OPTIONS }));
    }
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  async add<N extends JobName>(name: N, data: JobDataByName[N], options: { delayMs?: number; jobId?: string } = {}): Promise<void> {
    await this.queue(QUEUE_OF_JOB[name]).add(name, data, {
      ...JOB_OPTION_OVERRIDES[name],
      jobId: options.jobId ?? jobIdFor(name, data),
      delay: Math.max(0, options.delayMs ?? 0),
    });
  }

  /**
   * Queues work that Postgres says is still due. A job with the same id that already ended (failed
   * after its attempts, or completed without finishing the work) would make `add` a no-op for as long
   * as BullMQ keeps it, so it is removed first; a job still waiting, delayed or running is left alone.
   */
  async requeue<N extends JobName>(name: N, data: JobDataByName[N], settledForMs = 30_000): Promise<void> {
    const jobId = jobIdFor(name, data);
    const existing = await this.queue(QUEUE_OF_JOB[name]).getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      const ended = state === 'failed' || state === 'completed';
      if (!ended || Date.now() - (existing.finishedOn ?? Date.now()) < settledForMs) return;
      await existing.remove();
    }
    await this.add(name, data, { jobId });
  }

  /**
   * Adds a debounced job (one that reads its input when it runs). While one for the same data waits,
   * nothing is added: it will read what is there now. One that is running may have read its input
   * before what prompted this call, and a job id that exists cannot be added again, so the job then
   * goes in under the next of a few ids; only when every one of them is running is the call dropped
   * (and said so in the return value).
   */
  async addDebounced<N extends JobName>(name: N, data: JobDataByName[N], delayMs: number): Promise<'added' | 'pending' | 'all-running'> {
    const queue = this.queue(QUEUE_OF_JOB[name]);
    const base = jobIdFor(name, data);
    for (const jobId of [base, `${base}.again`, `${base}.again-2`]) {
      const existing = await queue.getJob(jobId);
      const state = existing ? await existing.getState() : 'unknown';
      if (state === 'active') continue;
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') return 'pending';
      // ended and kept, its id would make the add a no-op (or already gone, between the two reads)
      if (existing) await existing.remove().catch(() => undefined);
      await this.add(name, data, { delayMs, jobId });
      return 'added';
    }
    return 'all-running';
  }

  /** Several jobs in one round trip per queue (the outbox relay's batches). */
  async addBulk(jobs: { name: JobName; data: JobDataByName[JobName]; jobId: string; delayMs: number }[]): Promise<void> {
    const byQueue = new Map<QueueName, typeof jobs>();
    for (const job of jobs) byQueue.set(QUEUE_OF_JOB[job.name], [...(byQueue.get(QUEUE_OF_JOB[job.name]) ?? []), job]);
    for (const [queue, batch] of byQueue) {
      await this.queue(queue).addBulk(
        batch.map((job) => ({
          name: job.name,
          data: job.data,
          opts: { ...JOB_OPTION_OVERRIDES[job.name], jobId: job.jobId, delay: Math.max(0, job.delayMs) },
        })),
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
