import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Counter, Registry } from 'prom-client';
import { DomainError } from '#libs/common';
import { JobName, QUEUES, QueueName, REDIS_CONNECTION, queuePrefix } from '#libs/queue';
import { ExpireOfferJob } from './jobs/expire-offer.job';
import { JobHandler } from './jobs/job-handler';
import { ProfileChannelJob } from './jobs/profile-channel.job';
import { PublishJob } from './jobs/publish.job';
import { RecheckChannelJob } from './jobs/recheck-channel.job';
import { SettleJob } from './jobs/settle.job';
import { VerifyJob } from './jobs/verify.job';
import { PayoutJob } from './jobs/payout.job';
import { ReconcileJob } from './jobs/reconcile.job';
import { RefundJob } from './jobs/refund.job';

const CONCURRENCY: Record<QueueName, number> = { publishing: 20, placements: 40, channels: 4, payments: 4 };

/** Runs every queue's jobs through their handler classes; drains in-flight jobs on shutdown. */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers: Worker[] = [];
  private readonly handlers: Map<JobName, JobHandler<JobName>>;
  private readonly completed: Counter<string>;
  private readonly failed: Counter<string>;

  constructor(
    @Inject(REDIS_CONNECTION) private readonly connection: Redis,
    publish: PublishJob,
    verify: VerifyJob,
    settle: SettleJob,
    expireOffer: ExpireOfferJob,
    recheck: RecheckChannelJob,
    profile: ProfileChannelJob,
    registry: Registry,
    payout: PayoutJob,
    refund: RefundJob,
    reconcile: ReconcileJob,
  ) {
    const all = [publish, verify, settle, expireOffer, recheck, profile, payout, refund, reconcile] as JobHandler<JobName>[];
    this.handlers = new Map(all.map((handler) => [handler.name, handler]));
    this.completed = new Counter({ name: 'jobs_completed_total', help: 'jobs completed', labelNames: ['job'], registers: [registry] });
    this.failed = new Counter({ name: 'jobs_failed_total', help: 'job attempts failed', labelNames: ['job'], registers: [registry] });
  }

  start(): void {
    for (const queue of Object.values(QUEUES)) {
      const worker = new Worker(
        queue,
        async (job) => {
          const handler = this.handlers.get(job.name as JobName);
          if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
          try {
            return await handler.run(job.data);
          } catch (error) {
            // a domain error will not change on retry (e.g. a transition no longer allowed)
            if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
            throw error;
          }
        },
        { connection: this.connection.duplicate(), prefix: queuePrefix(), concurrency: CONCURRENCY[queue] },
      );
      worker.on('completed', (job) => this.completed.inc({ job: job.name }));
      worker.on('failed', (job, error) => {
        this.failed.inc({ job: job?.name ?? 'unknown' });
        this.logger.warn(`job ${job?.id} (${job?.name}) attempt ${job?.attemptsMade} failed: ${error.message}`);
      });
      worker.on('error', (error) => this.logger.error(`worker error on ${queue}: ${error.message}`));
      this.workers.push(worker);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
  }
}
