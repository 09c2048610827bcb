import { Injectable } from '@nestjs/common';
import { PlacementsService } from '#libs/marketplace';
import type { ExpireOfferJobData } from '#libs/queue';
import { JobHandler } from './job-handler';

export type { ExpireOfferJobData };

@Injectable()
export class ExpireOfferJob implements JobHandler<'expire-offer'> {
  readonly name = 'expire-offer' as const;
  constructor(private readonly placements: PlacementsService) {}
  async run(data: ExpireOfferJobData) {
    return (await this.placements.expireOffer(data.placementId))?.status ?? 'missing';
  }
}
