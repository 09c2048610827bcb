import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { MarketplaceModule } from '#libs/marketplace';
import { BackgroundLoops } from './background-loops';
import { JobRunner } from './job-runner';
import { ExpireOfferJob } from './jobs/expire-offer.job';
import { ProfileChannelJob } from './jobs/profile-channel.job';
import { PublishJob } from './jobs/publish.job';
import { RecheckChannelJob } from './jobs/recheck-channel.job';
import { SettleJob } from './jobs/settle.job';
import { VerifyJob } from './jobs/verify.job';
import { PayoutJob } from './jobs/payout.job';
import { ReconcileJob } from './jobs/reconcile.job';
import { RefundJob } from './jobs/refund.job';
import { UpdatesPoller } from './updates-poller';

/** The worker composes the same domain modules as the APIs, without any HTTP layer. */
@Module({
  imports: [MarketplaceModule],
  providers: [
    PublishJob,
    VerifyJob,
    SettleJob,
    ExpireOfferJob,
    RecheckChannelJob,
    ProfileChannelJob,
    PayoutJob,
    RefundJob,
    ReconcileJob,
    JobRunner,
    BackgroundLoops,
    UpdatesPoller,
    { provide: Registry, useFactory: (): Registry => new Registry() },
  ],
})
export class WorkerModule {}
