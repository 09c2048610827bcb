import { Injectable } from '@nestjs/common';
import { PayoutsService } from '#libs/marketplace';
import type { PayoutJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { PayoutJobData };

/** The transfer of one payout, under idempotency key `payout:<id>`; an unknown outcome throws and is retried under the same key;
 * once the attempts are used up, the worker's stuck-money-movements sweep queues it again under the same job id and key. */
@Injectable()
export class PayoutJob implements JobHandler<'payout'> {
  readonly name = 'payout' as const;
  constructor(private readonly payouts: PayoutsService) {}
  run(data: PayoutJobData) {
    return this.payouts.drive(data.payoutId);
  }
}
