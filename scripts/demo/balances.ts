import { advertiserApi, channelApi, CURRENCY } from './config';
import { money, say } from './narrate';
import type { AdvertiserBalance, OwnerEarnings, Party } from './types';

export async function advertiserBalance(advertiser: Party): Promise<AdvertiserBalance> {
  const body = await advertiserApi(advertiser.apiKey).get<{ balances: AdvertiserBalance[] }>('/v1/balance');
  return body.balances.find((balance) => balance.currency === CURRENCY) ?? { currency: CURRENCY, availableMinor: 0, reservedMinor: 0 };
}

export async function ownerEarnings(owner: Party): Promise<OwnerEarnings> {
  const body = await channelApi(owner.apiKey).get<{ balances: OwnerEarnings[] }>('/v1/earnings');
  return body.balances.find((balance) => balance.currency === CURRENCY) ?? { currency: CURRENCY, availableMinor: 0, pendingMinor: 0 };
}

/** Prints both sides' money as the APIs report it, and returns it. */
export async function showBalances(advertiser: Party | null, owner: Party | null) {
  const result: { advertiser?: AdvertiserBalance; owner?: OwnerEarnings } = {};
  if (advertiser) {
    result.advertiser = await advertiserBalance(advertiser);
    say(`balance  ${advertiser.name} (advertiser): available ${money(result.advertiser.availableMinor, CURRENCY)}, in escrow ${money(result.advertiser.reservedMinor, CURRENCY)}`);
  }
  if (owner) {
    result.owner = await ownerEarnings(owner);
    say(`earnings ${owner.name} (owner): available ${money(result.owner.availableMinor, CURRENCY)}, pending ${money(result.owner.pendingMinor, CURRENCY)}`);
  }
  return result;
}
