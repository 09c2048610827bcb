import { Extensions1763750000000 } from './1763750000000-extensions';
import { InitialSchema1795292723861 } from './1795292723861-initial-schema';
import { LedgerGuardsAndSeeds1795300000000 } from './1795300000000-ledger-guards-and-seeds';
import { Billing1795300100000 } from './1795300100000-billing';
import { ChannelTopicScores1795300200000 } from './1795300200000-channel-topic-scores';
import { ChannelCatalogTopics1795300200001 } from './1795300200001-channel-catalog-topics';
import { TopicScoresAndCatalogTopicsSync1795300200002 } from './1795300200002-topic-scores-and-catalog-topics-sync';
import { TopicScoresMatchColumns1795321929895 } from './1795321929895-topic-scores-match-columns';
import { TopicEvidenceColumn1795322260925 } from './1795322260925-topic-evidence-column';
import { ChannelPricingColumn1795330406811 } from './1795330406811-channel-pricing-column';
import { CampaignTopicsLimit1795330831684 } from './1795330831684-campaign-topics-limit';
import { ChannelPricingSyncLocks1795335682463 } from './1795335682463-channel-pricing-sync-locks';

// Migrations are history: append new ones, never edit one that has been merged.
export const MIGRATIONS: Function[] = [Extensions1763750000000, InitialSchema1795292723861, LedgerGuardsAndSeeds1795300000000, Billing1795300100000, ChannelTopicScores1795300200000, ChannelCatalogTopics1795300200001, TopicScoresAndCatalogTopicsSync1795300200002, TopicScoresMatchColumns1795321929895, TopicEvidenceColumn1795322260925, ChannelPricingColumn1795330406811, CampaignTopicsLimit1795330831684, ChannelPricingSyncLocks1795335682463];
