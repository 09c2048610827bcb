import { Injectable } from '@nestjs/common';
import { RefundsService } from '#libs/marketplace';
import type { RefundJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { RefundJobData };

/** One refund to the card, under idempotency key `refund:<id>`; an unknown outcome throws and is retried under the same key;
 * once the attempts are used up, the worker's stuck-money-movements sweep queues it again under the same job id and key. */
@Injectable()
export class RefundJob implements JobHandler<'refund'> {
  readonly name = 'refund' as const;
  constructor(private readonly refunds: RefundsService) {}
  run(data: RefundJobData) {
    return this.refunds.drive(data.refundId);
  }
}
