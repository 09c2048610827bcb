import { LedgerAccountType, NON_NEGATIVE_TYPES } from './ledger.entities';

export interface LedgerAccountRef {
  code: string;
  type: LedgerAccountType;
  holderId: string | null;
  reference: string | null;
  currency: string;
  nonNegative: boolean;
}

function ref(type: LedgerAccountType, currency: string, holderId: string | null, reference: string | null = null): LedgerAccountRef {
  const code = [type, holderId ?? '-', reference ?? '-', currency].join(':');
  return { code, type, holderId, reference, currency, nonNegative: NON_NEGATIVE_TYPES.includes(type) };
}

const FEE_SHARDS = 8;

function feeShard(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return hash % FEE_SHARDS;
}

/** The chart of accounts: every account Placard moves money between. */
export const LedgerAccounts = {
  advertiserAvailable: (advertiserId: string, currency: string) => ref(LedgerAccountType.AdvertiserAvailable, currency, advertiserId),
  advertiserFrozen: (advertiserId: string, currency: string) => ref(LedgerAccountType.AdvertiserFrozen, currency, advertiserId),
  escrow: (advertiserId: string, placementId: string, currency: string) => ref(LedgerAccountType.Escrow, currency, advertiserId, placementId),
  ownerEarnings: (ownerId: string, currency: string) => ref(LedgerAccountType.OwnerEarnings, currency, ownerId),
  ownerPayoutsInTransit: (ownerId: string, currency: string) => ref(LedgerAccountType.OwnerPayoutsInTransit, currency, ownerId),
  /**
   * The platform's fees, split over a few accounts so that concurrent settlements do not all queue on
   * one row; the platform's total is the sum over the shards (a key picks the shard, e.g. the placement id).
   */
  platformFees: (currency: string, shardKey = '') => ref(LedgerAccountType.PlatformFees, currency, null, `shard-${feeShard(shardKey)}`),
  /** the outside world as seen through one payments provider: its balance is minus what came in */
  external: (provider: string, currency: string) => ref(LedgerAccountType.External, currency, null, provider),
};
