import { Module } from '@nestjs/common';
import { AccountsController, HttpKitModule } from '#libs/http';
import { MarketplaceModule } from '#libs/marketplace';
import { BalanceController } from './balance/balance.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CatalogController } from './catalog/catalog.controller';
import { PlacementsController } from './placements/placements.controller';

@Module({
  imports: [MarketplaceModule, HttpKitModule.forAudience('advertiser')],
  controllers: [AccountsController, BalanceController, CatalogController, CampaignsController, PlacementsController],
})
export class AdvertiserApiModule {}
