import { Module } from '@nestjs/common';
import { AccountsController, HttpKitModule } from '#libs/http';
import { MarketplaceModule } from '#libs/marketplace';
import { BalanceController } from './balance/balance.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CatalogController } from './catalog/catalog.controller';
import { PlacementsController } from './placements/placements.controller';
import { RefundsController } from './stripe/refunds.controller';
import { StripeWebhookController } from './stripe/stripe-webhook.controller';

@Module({
  imports: [MarketplaceModule, HttpKitModule.forAudience('advertiser')],
  controllers: [AccountsController, BalanceController, CatalogController, CampaignsController, PlacementsController, RefundsController, StripeWebhookController],
})
export class AdvertiserApiModule {}
