import { Module } from '@nestjs/common';
import { AccountsController, HttpKitModule, StripeWebhookController } from '#libs/http';
import { MarketplaceModule } from '#libs/marketplace';
import { BalanceController } from './balance/balance.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CatalogController } from './catalog/catalog.controller';
import { PlacementsController } from './placements/placements.controller';
import { RefundsController } from './balance/refunds.controller';

@Module({
  imports: [MarketplaceModule, HttpKitModule.forAudience('advertiser')],
  controllers: [AccountsController, BalanceController, CatalogController, CampaignsController, PlacementsController, RefundsController, StripeWebhookController],
})
export class AdvertiserApiModule {}
