import { Injectable } from '@nestjs/common';
import { DeliveryService } from '#libs/marketplace';
import type { PublishJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { PublishJobData };

@Injectable()
export class PublishJob implements JobHandler<'publish'> {
  readonly name = 'publish' as const;
  constructor(private readonly delivery: DeliveryService) {}
  run(data: PublishJobData) {
    return this.delivery.publish(data.placementId);
  }
}
