import { JobsOptions } from 'bullmq';

/** Queues and the jobs each carries. Jobs carry ids, never objects: handlers reload state. */
export const QUEUES = {
  /** sends are due at an exact time: they never wait behind checks */
  publishing: 'publishing',
  placements: 'placements',
  channels: 'channels',
  payments: 'payments',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface PublishJobData { placementId: string }
export interface VerifyJobData { placementId: string; checkpoint: number }
export interface SettleJobData { placementId: string }
export interface ExpireOfferJobData { placementId: string }
export interface RecheckChannelJobData { channelId: string }
export interface ProfileChannelJobData { channelId: string }
export interface PayoutJobData { payoutId: string }
export interface RefundJobData { refundId: string }
export interface ReconcileJobData { reportId: string }

export interface JobDataByName {
  publish: PublishJobData;
  verify: VerifyJobData;
  settle: SettleJobData;
  'expire-offer': ExpireOfferJobData;
  'recheck-channel': RecheckChannelJobData;
  'profile-channel': ProfileChannelJobData;
  payout: PayoutJobData;
  refund: RefundJobData;
  reconcile: ReconcileJobData;
}
export type JobName = keyof JobDataByName;

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  publish: QUEUES.publishing,
  verify: QUEUES.placements,
  settle: QUEUES.placements,
  'expire-offer': QUEUES.placements,
  'recheck-channel': QUEUES.channels,
  'profile-channel': QUEUES.channels,
  payout: QUEUES.payments,
  refund: QUEUES.payments,
  reconcile: QUEUES.payments,
};

/** Deterministic job ids: the same logical job enqueued twice is one job in BullMQ (which forbids ":" in them). */
export function jobIdFor<N extends JobName>(name: N, data: JobDataByName[N]): string {
  switch (name) {
    case 'verify': {
      const verify = data as VerifyJobData;
      return `placement.${verify.placementId}.verify.${verify.checkpoint}`;
    }
    case 'recheck-channel':
    case 'profile-channel':
      return `channel.${(data as RecheckChannelJobData).channelId}.${name}`;
    case 'payout':
      return `payout.${(data as PayoutJobData).payoutId}`;
    case 'refund':
      return `refund.${(data as RefundJobData).refundId}`;
    case 'reconcile':
      return `reconcile.${(data as ReconcileJobData).reportId}`;
    default:
      return `placement.${(data as PublishJobData).placementId}.${name}`;
  }
}

/** Retries live here, in one place: attempts with exponential backoff; permanent failures throw UnrecoverableError. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
};

/**
 * Profile recomputation is debounced: while a delayed job for a channel waits, more posts add
 * nothing; once it ran it is removed so the next post schedules a fresh one.
 */
export const JOB_OPTION_OVERRIDES: Partial<Record<JobName, JobsOptions>> = {
  'profile-channel': { removeOnComplete: true, removeOnFail: true },
  'recheck-channel': { removeOnComplete: true, removeOnFail: true },
};
