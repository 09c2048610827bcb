import { advertiserApi, CURRENCY, TOP_UP_MINOR } from './config';
import { money, say, step } from './narrate';
import type { DemoChannel, Party } from './types';

export interface DemoCreative {
  campaignId: string;
  creativeId: string;
}

export async function topUp(advertiser: Party): Promise<void> {
  const topUp = await advertiserApi(advertiser.apiKey).post<{ id: string; status: string; provider: string }>('/v1/balance/top-ups', {
    amountMinor: TOP_UP_MINOR,
    currency: CURRENCY,
  });
  say(`top-up ${topUp.id} of ${money(TOP_UP_MINOR, CURRENCY)} through the ${topUp.provider} provider: ${topUp.status}`);
}

/** A campaign that wants crypto channels, its creative, and where it would run. */
export async function campaignAndCreative(advertiser: Party, channel: DemoChannel): Promise<DemoCreative> {
  step('The advertiser creates a campaign and a creative');
  const api = advertiserApi(advertiser.apiKey);
  const campaign = await api.post<{ id: string }>('/v1/campaigns', { name: 'Wallet launch', topics: ['crypto'], languages: ['en'], excludedTopics: ['gambling'] });
  say(`campaign ${campaign.id}: topics [crypto], languages [en], excluded [gambling]`);
  const creative = await api.post<{ id: string; text: string }>(`/v1/campaigns/${campaign.id}/creatives`, {
    text: 'Try the Acme wallet: self-custody, zero fees.',
    buttons: [{ text: 'Open Acme', url: 'https://example.com/acme-wallet' }],
  });
  say(`creative ${creative.id}: "${creative.text}" with a button "Open Acme"`);

  const recommended = await api.get<{ items: { id: string; username: string; score: number; reasons: { topic: string; weight: number }[] }[] }>(
    `/v1/campaigns/${campaign.id}/recommendations`,
  );
  const ours = recommended.items.find((item) => item.id === channel.id);
  if (ours) {
    const reasons = ours.reasons.map((reason) => `${reason.topic} ${reason.weight.toFixed(2)}`).join(', ');
    say(`recommendations: @${ours.username} scores ${ours.score.toFixed(2)} (matched on ${reasons || 'no topics yet'})`);
  } else {
    say(`recommendations: @${channel.username} is not among the ${recommended.items.length} channels recommended yet (no topic profile)`);
  }
  return { campaignId: campaign.id, creativeId: creative.id };
}
