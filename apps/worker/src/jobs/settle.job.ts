import { Injectable } from '@nestjs/common';
import { DeliveryService } from '#libs/marketplace';
import type { SettleJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { SettleJobData };

@Injectable()
export class SettleJob implements JobHandler<'settle'> {
  readonly name = 'settle' as const;
  constructor(private readonly delivery: DeliveryService) {}
  run(data: SettleJobData) {
    return this.delivery.settle(data.placementId);
  }
}
