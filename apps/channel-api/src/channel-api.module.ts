import { Module } from '@nestjs/common';
import { AccountsController, HttpKitModule, StripeWebhookController } from '#libs/http';
import { MarketplaceModule } from '#libs/marketplace';
import { ChannelsController } from './channels/channels.controller';
import { EarningsController } from './earnings/earnings.controller';
import { OffersController } from './offers/offers.controller';
import { TelegramWebhookController } from './telegram/telegram-webhook.controller';
import { ReconciliationController } from './admin/reconciliation.controller';
import { ReviewController } from './admin/review.controller';
import { PayoutsController } from './payouts/payouts.controller';

@Module({
  imports: [MarketplaceModule, HttpKitModule.forAudience('owner')],
  controllers: [AccountsController, ChannelsController, OffersController, EarningsController, TelegramWebhookController, PayoutsController, StripeWebhookController, ReconciliationController, ReviewController],
})
export class ChannelApiModule {}
