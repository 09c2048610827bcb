import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService, PLATFORM_ADAPTER, ProfileScheduler } from '#libs/marketplace';
import { PLACARD_CONFIG } from '#libs/config';
import { REDIS_CONNECTION } from '#libs/queue';
import { UpdatesPoller } from '../apps/worker/src/updates-poller';
import {
  advertiserApi,
  book,
  campaignWithCreative,
  channelApi,
  onboardChannel,
  signUp,
  topUp,
  waitForStatus,
  type Party,
} from './support/factories';
import { expectLedgerConsistent } from './support/ledger-invariants';
import { startStack, type Stack } from './support/stack';

describe('limits: our API rate limit, Telegram flood limits, one poller at a time', () => {
  let stack: Stack;
  let advertiser: Party;
  let owner: Party;

  beforeAll(async () => {
    // high enough for the other tests' status polling, low enough to reach quickly
    stack = await startStack({ timeScale: 0.0001, env: { RATE_LIMIT_PER_MINUTE: '600' } });
    advertiser = await signUp(stack, 'advertiser');
    owner = await signUp(stack, 'owner');
  });
  afterAll(async () => stack?.close());

  it('rate limits per key with 429, Retry-After and a code; another key is unaffected', async () => {
    const limited = await signUp(stack, 'advertiser', 'Busy Co');
    // the window is a calendar minute, so it may reset once during the loop: two windows' worth is enough
    let refused: Awaited<ReturnType<ReturnType<typeof advertiserApi>['get']>> | undefined;
    let accepted = 0;
    for (let i = 0; i < 1300 && !refused; i++) {
      const response = await advertiserApi(stack).get('/v1/balance').set(limited.auth);
      if (response.status === 429) refused = response;
      else accepted++;
    }
    expect(refused, 'a 429 within two minutes-worth of requests').toBeDefined();
    expect(accepted).toBeGreaterThanOrEqual(600);
    refused = refused!;
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await advertiserApi(stack).get('/v1/balance').set(advertiser.auth)).status).toBe(200);
  });

  it("waits out Telegram's 429 on the send and still posts exactly once", async () => {
    await topUp(stack, advertiser, 100_000);
    const channel = await onboardChannel(stack, owner);
    const { creativeId } = await campaignWithCreative(stack, advertiser);
    stack.sandbox.telegram.injectFault({ method: 'sendMessage', kind: 'rate_limit', times: 1, retryAfter: 1 });
    const booked = await book(stack, advertiser, channel.id, creativeId, 800);
    await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    const done = await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed', 'needs_review'], 30_000);
    expect(done.status).toBe('completed');
    const ads = stack.sandbox.telegram.listMessages(channel.chatId).filter((message) => String(message.text ?? '').includes('#ad'));
    expect(ads).toHaveLength(1);
    await expectLedgerConsistent(stack);
  });

  it('lets only one worker poll Telegram for updates at a time', async () => {
    const context = stack.worker!.context;
    const second = new UpdatesPoller(
      context.get(REDIS_CONNECTION),
      context.get(PLATFORM_ADAPTER),
      context.get(IngestService),
      context.get(ProfileScheduler),
      context.get(PLACARD_CONFIG),
    );
    // the running worker holds the lock: a second instance gets nothing and does not call getUpdates
    expect(await second.pollOnce(0)).toBeNull();
  });
});
