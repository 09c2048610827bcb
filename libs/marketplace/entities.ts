import { IdempotencyKeyEntity } from '#libs/database';
import { LEDGER_ENTITIES } from '#libs/ledger';
import { OutboxEntity } from '#libs/queue';
import { AccountEntity, ApiKeyEntity } from './accounts/account.entities';
import { TopUpEntity } from './balance/top-up.entity';
import { BILLING_ENTITIES } from './billing/billing.entities';
import { CampaignEntity, CreativeEntity } from './campaigns/campaign.entities';
import { ChannelCatalogTopicEntity, ChannelEntity, ChannelPostEntity, ChannelPriceEntity, ChannelTopicScoreEntity, FormatEntity } from './channels/channel.entities';
import { DeliveryCheckEntity, PlacementEntity, PlacementEventEntity } from './placements/placement.entities';

/** Every table the migrations must produce; the schema-drift test compares the two. */
export const ALL_ENTITIES = [
  ...LEDGER_ENTITIES,
  OutboxEntity,
  IdempotencyKeyEntity,
  AccountEntity,
  ApiKeyEntity,
  TopUpEntity,
  ChannelEntity,
  FormatEntity,
  ChannelPriceEntity,
  ChannelPostEntity,
  ChannelTopicScoreEntity,
  ChannelCatalogTopicEntity,
  CampaignEntity,
  CreativeEntity,
  PlacementEntity,
  PlacementEventEntity,
  DeliveryCheckEntity,
  ...BILLING_ENTITIES,
];
