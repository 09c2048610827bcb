import request from 'supertest';
import { expect } from 'vitest';
import type { Stack } from './stack';

export interface Party {
  id: string;
  apiKey: string;
  auth: { Authorization: string };
}

export interface OnboardedChannel {
  id: string;
  chatId: number;
  username: string;
  ownerUserId: number;
}

let counter = 0;
const unique = (prefix: string): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const advertiserApi = (stack: Stack) => request(stack.advertiserApi.getHttpServer());
export const channelApi = (stack: Stack) => request(stack.channelApi.getHttpServer());

export async function signUp(stack: Stack, kind: 'advertiser' | 'owner', name = kind === 'advertiser' ? 'Acme Wallet' : 'Channel Owner'): Promise<Party> {
  const api = kind === 'advertiser' ? advertiserApi(stack) : channelApi(stack);
  const response = await api.post('/v1/accounts').send({ email: `${unique(kind)}@example.com`, name });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.account.id, apiKey: response.body.apiKey, auth: { Authorization: `Bearer ${response.body.apiKey}` } };
}

export async function topUp(stack: Stack, advertiser: Party, amountMinor: number, currency = 'USD'): Promise<void> {
  const response = await advertiserApi(stack).post('/v1/balance/top-ups').set(advertiser.auth).send({ amountMinor, currency });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  expect(response.body.status).toBe('succeeded');
}

/**
 * A channel in the sandbox with the platform bot as an admin allowed to post, registered and
 * verified through the channel API, priced for every format.
 */
export async function onboardChannel(
  stack: Stack,
  owner: Party,
  options: { title?: string; subscribers?: number; priceMinor?: number; currency?: string; signatures?: boolean } = {},
): Promise<OnboardedChannel> {
  const telegram = stack.sandbox.telegram;
  const username = unique('chan_');
  const channel = telegram.createChannel({
    title: options.title ?? `Channel ${username}`,
    username,
    memberCount: options.subscribers ?? 12_000,
    signatures: options.signatures ?? false,
  });
  telegram.setAdmin(channel.id, stack.sandbox.platform.botId, { canPostMessages: true, canEditMessages: true, canDeleteMessages: true });
  const registered = await channelApi(stack).post('/v1/channels').set(owner.auth).send({ platform: 'telegram', handle: `@${username}` });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  setDescription(stack, channel.id, `Daily posts. ${registered.body.verificationCode}`);
  const verified = await channelApi(stack).post(`/v1/channels/${registered.body.id}/verify`).set(owner.auth);
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  const price = options.priceMinor ?? 10_000;
  const priced = await channelApi(stack)
    .put(`/v1/channels/${registered.body.id}/pricing`)
    .set(owner.auth)
    .send({ formats: ['1/24', '2/48', '3/72', '7d'].map((format) => ({ format, priceMinor: price, currency: options.currency ?? 'USD' })) });
  expect(priced.status, JSON.stringify(priced.body)).toBe(200);
  return { id: registered.body.id, chatId: channel.id, username, ownerUserId: channel.creatorId };
}

export function setDescription(stack: Stack, chatId: number, description: string): void {
  stack.sandbox.telegram.updateChannel(chatId, { description });
}

export async function campaignWithCreative(
  stack: Stack,
  advertiser: Party,
  campaign: { topics?: string[]; excludedTopics?: string[]; languages?: string[]; regulatorToken?: string } = {},
  creative: { text?: string; buttons?: { text: string; url: string }[] } = {},
): Promise<{ campaignId: string; creativeId: string }> {
  const created = await advertiserApi(stack)
    .post('/v1/campaigns')
    .set(advertiser.auth)
    .send({ name: 'Launch', topics: campaign.topics ?? ['crypto'], languages: campaign.languages ?? [], excludedTopics: campaign.excludedTopics ?? [], ...(campaign.regulatorToken ? { regulatorToken: campaign.regulatorToken } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const made = await advertiserApi(stack)
    .post(`/v1/campaigns/${created.body.id}/creatives`)
    .set(advertiser.auth)
    .send({ text: creative.text ?? 'Try the Acme wallet: self-custody, zero fees.', buttons: creative.buttons ?? [{ text: 'Open', url: 'https://example.com/wallet' }] });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { campaignId: created.body.id, creativeId: made.body.id };
}

export async function book(stack: Stack, advertiser: Party, channelId: string, creativeId: string, startsInMs = 1500, format = '1/24') {
  return advertiserApi(stack)
    .post('/v1/placements')
    .set(advertiser.auth)
    .send({ channelId, creativeId, format, startsAt: new Date(Date.now() + startsInMs).toISOString() });
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function placementOf(stack: Stack, advertiser: Party, placementId: string) {
  const response = await advertiserApi(stack).get(`/v1/placements/${placementId}`).set(advertiser.auth);
  expect(response.status).toBe(200);
  return response.body;
}

export async function waitForStatus(stack: Stack, advertiser: Party, placementId: string, statuses: string[], timeoutMs = 30_000) {
  let seen = 'nothing yet';
  try {
    return await eventually(
      async () => {
        const placement = await placementOf(stack, advertiser, placementId);
        seen = `${placement.status} with ${placement.delivery?.checks?.length ?? 0} check(s)`;
        return statuses.includes(placement.status) ? placement : undefined;
      },
      timeoutMs,
      `placement ${placementId} to reach ${statuses.join(' or ')}`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} (last seen: ${seen})`);
  }
}

export async function balanceOf(stack: Stack, advertiser: Party, currency = 'USD') {
  const response = await advertiserApi(stack).get('/v1/balance').set(advertiser.auth);
  return response.body.balances.find((balance: { currency: string }) => balance.currency === currency) ?? { availableMinor: 0, reservedMinor: 0 };
}

export async function earningsOf(stack: Stack, owner: Party, currency = 'USD') {
  const response = await channelApi(stack).get('/v1/earnings').set(owner.auth);
  return response.body.balances.find((balance: { currency: string }) => balance.currency === currency) ?? { availableMinor: 0, pendingMinor: 0 };
}
