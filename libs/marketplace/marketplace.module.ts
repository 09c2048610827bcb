import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule, PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { dataSourceOptions } from '#libs/database';
import { LedgerModule } from '#libs/ledger';
import { QueueModule } from '#libs/queue';
import { TelegramAdapter } from '#libs/platforms';
import { StripePaymentsProvider } from '#libs/payments';
import { AccountsService } from './accounts/accounts.service';
import { BalanceService } from './balance/balance.service';
import { SandboxPaymentsProvider } from './balance/sandbox-payments.provider';
import { BILLING_SERVICES } from './billing';
import { CampaignsService } from './campaigns/campaigns.service';
import { CatalogService } from './channels/catalog.service';
import { ChannelsService } from './channels/channels.service';
import { DeliveryService } from './delivery/delivery.service';
import { IngestService } from './delivery/ingest.service';
import { ProfileScheduler } from './delivery/profile-scheduler';
import { ALL_ENTITIES } from './entities';
import { PlacementTransitions } from './placements/placement-transitions';
import { PlacementsService } from './placements/placements.service';
import { CONTEXT_CHECKER, PAYMENTS_PROVIDER, PLATFORM_ADAPTER } from './tokens';
import { ProfilesService } from './topics/profiles.service';
import { RecommendationsService } from './topics/recommendations.service';
import { TopicEngine } from './topics/topic-engine';
import { TopicsContextChecker } from './topics/topics-context-checker';

const SERVICES = [
  AccountsService,
  ChannelsService,
  CatalogService,
  CampaignsService,
  PlacementTransitions,
  PlacementsService,
  BalanceService,
  DeliveryService,
  IngestService,
  ProfileScheduler,
  TopicEngine,
  ProfilesService,
  RecommendationsService,
  ...BILLING_SERVICES,
];

/** The domain, composed once and imported by every process (APIs and worker alike). */
@Module({
  imports: [
    ConfigModule,
    TypeOrmModule.forRootAsync({
      inject: [PLACARD_CONFIG],
      useFactory: (config: PlacardConfig) => dataSourceOptions(config.databaseUrl, ALL_ENTITIES, config.databasePoolSize),
    }),
    LedgerModule,
    QueueModule,
  ],
  providers: [
    ...SERVICES,
    {
      provide: PLATFORM_ADAPTER,
      inject: [PLACARD_CONFIG],
      useFactory: (config: PlacardConfig) =>
        new TelegramAdapter({
          apiRoot: config.telegram.apiRoot,
          botToken: config.telegram.botToken ?? '',
          auditChatIds: config.telegram.auditChatIds,
          limits: config.telegram.limits ? undefined : false,
        }),
    },
    {
      provide: PAYMENTS_PROVIDER,
      inject: [PLACARD_CONFIG],
      useFactory: (config: PlacardConfig) => {
        if (config.payments.provider === 'sandbox') return new SandboxPaymentsProvider();
        // STRIPE_API_BASE unset: the SDK talks to Stripe itself
        return new StripePaymentsProvider({ secretKey: config.payments.stripeSecretKey ?? '', apiBase: config.payments.stripeApiBase ?? undefined, timeoutMs: config.payments.stripeTimeoutMs });
      },
    },
    { provide: CONTEXT_CHECKER, useClass: TopicsContextChecker },
  ],
  exports: [...SERVICES, LedgerModule, PLATFORM_ADAPTER, PAYMENTS_PROVIDER, CONTEXT_CHECKER],
})
export class MarketplaceModule {}
