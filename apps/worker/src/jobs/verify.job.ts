import { Injectable } from '@nestjs/common';
import { DeliveryService } from '#libs/marketplace';
import type { VerifyJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { VerifyJobData };

@Injectable()
export class VerifyJob implements JobHandler<'verify'> {
  readonly name = 'verify' as const;
  constructor(private readonly delivery: DeliveryService) {}
  run(data: VerifyJobData) {
    return this.delivery.verify(data.placementId, data.checkpoint);
  }
}
