/**
 * `npm run demo`: a narrated walk through two whole deals against a running `npm run dev`, over
 * HTTP only (the two APIs and the sandbox's control API). One deal completes and pays the owner;
 * in the other the channel's admin deletes the post early and the advertiser gets the money back.
 * Exits 0 when everything happened as described, 1 with the reason otherwise.
 */
import { campaignAndCreative, topUp } from './advertiser';
import { showBalances } from './balances';
import { advertiserApi, channelApi, CURRENCY, FORMAT, PRICE_MINOR, TOP_UP_MINOR, urls } from './config';
import { adminDeletesPost, bookNextSlot, followUntilSettled, ownerAccepts, printHistory, waitForPublication, type Deal } from './deal';
import { DemoError } from './http';
import { heading, money, say, step } from './narrate';
import { onboardChannel, postChannelContent, signUp } from './onboarding';
import type { Placement } from './types';

async function preflight(): Promise<void> {
  for (const [name, url] of [
    ['advertiser API', `${urls.advertiserApi}/health`],
    ['channel API', `${urls.channelApi}/health`],
    ['sandbox', `${urls.sandbox}/control/sandbox/platform`],
  ]) {
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (!ok) throw new DemoError(`the ${name} is not answering at ${url}. Start everything with \`npm run dev\` first (or set ADVERTISER_API_URL, CHANNEL_API_URL, SANDBOX_URL).`);
  }
}

function expectThat(condition: boolean, message: string): void {
  if (!condition) throw new DemoError(message);
}

async function successfulDeal(deal: Deal): Promise<Placement> {
  heading('Deal 1: the post stays up, the owner is paid');
  step(`The advertiser books the next ${FORMAT} slot in @${deal.channel.username}`);
  const booked = await bookNextSlot(deal);
  await showBalances(deal.advertiser, deal.owner);

  step('The owner sees the offer with the exact text and accepts');
  await ownerAccepts(deal, booked.id);
  await showBalances(deal.advertiser, deal.owner);

  step('At the start time the worker publishes the post through the bot');
  const published = await waitForPublication(deal, booked);

  step('The worker verifies the post at checkpoints until the end of the format');
  const settled = await followUntilSettled(deal, published);
  say(`placement ${settled.id}: ${settled.status}${settled.statusReason ? ` (${settled.statusReason})` : ''}`);
  printHistory(settled);
  expectThat(settled.status === 'completed', `deal 1 ended ${settled.status}, expected completed: ${settled.statusReason}`);
  step('Money moved: escrow → owner earnings, minus the platform fee');
  say(`price ${money(settled.priceMinor, CURRENCY)} = owner ${money(settled.priceMinor - settled.feeMinor, CURRENCY)} + platform fee ${money(settled.feeMinor, CURRENCY)}`);
  await showBalances(deal.advertiser, deal.owner);
  return settled;
}

async function failedDeal(deal: Deal): Promise<Placement> {
  heading('Deal 2: the admin deletes the post early, the advertiser is refunded');
  step('The advertiser books the next slot again; the owner accepts');
  const booked = await bookNextSlot(deal);
  await ownerAccepts(deal, booked.id);
  await showBalances(deal.advertiser, deal.owner);

  step('The worker publishes it');
  const published = await waitForPublication(deal, booked);

  step("The channel's human admin deletes the ad long before the 24 (scaled) hours are up");
  await adminDeletesPost(deal, published);

  step('The next checkpoint finds it gone and fails the placement');
  const settled = await followUntilSettled(deal, published);
  say(`placement ${settled.id}: ${settled.status}${settled.statusReason ? ` (${settled.statusReason})` : ''}`);
  printHistory(settled);
  expectThat(settled.status === 'failed', `deal 2 ended ${settled.status}, expected failed`);
  step('Money moved: escrow → back to the advertiser');
  await showBalances(deal.advertiser, deal.owner);
  return settled;
}

async function main(): Promise<void> {
  console.log('Placard demo: two sponsored posts in a sandbox Telegram channel, from sign-up to payout');
  console.log(`advertiser API ${urls.advertiserApi}, channel API ${urls.channelApi}, sandbox ${urls.sandbox}`);
  await preflight();

  heading('Setting up');
  step('A channel owner signs up on the channel API');
  const owner = await signUp('owner', 'Crypto Daily Media');
  const channel = await onboardChannel(owner);
  await postChannelContent(owner, channel);

  step('An advertiser signs up on the advertiser API and tops up its balance (sandbox payments)');
  const advertiser = await signUp('advertiser', 'Acme Wallet');
  await topUp(advertiser);
  await showBalances(advertiser, owner);
  const { creativeId } = await campaignAndCreative(advertiser, channel);

  const deal: Deal = { advertiser, owner, channel, creativeId };
  const completed = await successfulDeal(deal);
  const failed = await failedDeal(deal);

  heading('Final state');
  const final = await showBalances(advertiser, owner);
  const placements = await advertiserApi(advertiser.apiKey).get<{ items: Placement[] }>('/v1/placements');
  for (const placement of placements.items) {
    say(`placement ${placement.id} ${placement.status.padEnd(9)} ${money(placement.priceMinor, placement.currency)}  checks: ${placement.delivery?.checks.length ?? 0}`);
  }
  const channelView = await channelApi(owner.apiKey).get<{ status: string; username: string }>(`/v1/channels/${channel.id}`);
  say(`channel @${channelView.username}: ${channelView.status}`);

  const expectedAvailable = TOP_UP_MINOR - PRICE_MINOR;
  const expectedEarnings = completed.priceMinor - completed.feeMinor;
  expectThat(
    final.advertiser?.availableMinor === expectedAvailable && final.advertiser.reservedMinor === 0,
    `advertiser balance is ${JSON.stringify(final.advertiser)}, expected ${expectedAvailable} available and nothing in escrow`,
  );
  expectThat(
    final.owner?.availableMinor === expectedEarnings && final.owner.pendingMinor === 0,
    `owner earnings are ${JSON.stringify(final.owner)}, expected ${expectedEarnings} available and nothing pending`,
  );
  console.log(
    `\nDemo complete: deal 1 ${completed.status} (owner earned ${money(expectedEarnings, CURRENCY)}, fee ${money(completed.feeMinor, CURRENCY)}), ` +
      `deal 2 ${failed.status} (${money(failed.priceMinor, CURRENCY)} refunded to the advertiser).`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof DemoError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`\nDemo FAILED: ${message}`);
    process.exit(1);
  },
);
