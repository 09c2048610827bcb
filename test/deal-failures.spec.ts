import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  advertiserApi,
  balanceOf,
  book,
  campaignWithCreative,
  channelApi,
  eventually,
  onboardChannel,
  placementOf,
  signUp,
  topUp,
  waitForStatus,
  type Party,
} from './support/factories';
import { expectLedgerConsistent } from './support/ledger-invariants';
import { startStack, type Stack } from './support/stack';

/** Every way a deal can end without delivery, and where the money goes each time. */
describe('deal failure paths', () => {
  let stack: Stack;
  let advertiser: Party;
  let owner: Party;
  let creativeId: string;

  beforeAll(async () => {
    // 1/24 → top window 3.6 s: failures are caught at the first checkpoint, at the end of the top window
    stack = await startStack({ timeScale: 0.001, env: { OFFER_EXPIRY_HOURS: '0.5' } });
    advertiser = await signUp(stack, 'advertiser');
    owner = await signUp(stack, 'owner');
    await topUp(stack, advertiser, 1_000_000);
    ({ creativeId } = await campaignWithCreative(stack, advertiser));
  });
  afterEach(async () => expectLedgerConsistent(stack));
  afterAll(async () => stack?.close());

  async function scheduledDeal(startsInMs = 1500) {
    const channel = await onboardChannel(stack, owner, { priceMinor: 7_000 });
    const booked = await book(stack, advertiser, channel.id, creativeId, startsInMs);
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const accepted = await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    expect(accepted.status).toBe(200);
    return { channel, placementId: booked.body.id as string };
  }

  async function expectRefunded(placementId: string, before: { availableMinor: number }) {
    const after = await balanceOf(stack, advertiser);
    const placement = await placementOf(stack, advertiser, placementId);
    expect(after.availableMinor).toBe(before.availableMinor);
    return placement;
  }

  it('rejected: the owner says no with a reason and the escrow comes back', async () => {
    const before = await balanceOf(stack, advertiser);
    const channel = await onboardChannel(stack, owner);
    const booked = await book(stack, advertiser, channel.id, creativeId, 60_000);
    expect((await balanceOf(stack, advertiser)).availableMinor).toBe(before.availableMinor - 10_000);
    const noReason = await channelApi(stack).post(`/v1/offers/${booked.body.id}/reject`).set(owner.auth).send({});
    expect([noReason.status, noReason.body.error.code]).toEqual([400, 'validation_failed']);
    const rejected = await channelApi(stack).post(`/v1/offers/${booked.body.id}/reject`).set(owner.auth).send({ reason: 'off-topic for my readers' });
    expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: 'off-topic for my readers' });
    await expectRefunded(booked.body.id, before);
    const again = await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    expect([again.status, again.body.error.code]).toEqual([409, 'invalid_transition']);
  });

  it('expired: an unanswered offer expires by itself and refunds', async () => {
    const before = await balanceOf(stack, advertiser);
    const channel = await onboardChannel(stack, owner);
    const booked = await book(stack, advertiser, channel.id, creativeId, 600_000); // expiry: 0.5 h scaled = 1.8 s
    const expired = await waitForStatus(stack, advertiser, booked.body.id, ['expired'], 15_000);
    expect(expired.history.map((event: { status: string }) => event.status)).toEqual(['offered', 'expired']);
    await expectRefunded(booked.body.id, before);
  });

  it('cancelled: allowed while offered or scheduled, refused once published', async () => {
    const before = await balanceOf(stack, advertiser);
    const channel = await onboardChannel(stack, owner);
    const offered = await book(stack, advertiser, channel.id, creativeId, 60_000);
    const cancelled = await advertiserApi(stack).post(`/v1/placements/${offered.body.id}/cancel`).set(advertiser.auth);
    expect(cancelled.body.status).toBe('cancelled');
    await expectRefunded(offered.body.id, before);

    const { placementId } = await scheduledDeal(60_000);
    const cancelledScheduled = await advertiserApi(stack).post(`/v1/placements/${placementId}/cancel`).set(advertiser.auth);
    expect(cancelledScheduled.body.status).toBe('cancelled');

    const live = await scheduledDeal(800);
    await waitForStatus(stack, advertiser, live.placementId, ['published'], 15_000);
    const tooLate = await advertiserApi(stack).post(`/v1/placements/${live.placementId}/cancel`).set(advertiser.auth);
    expect([tooLate.status, tooLate.body.error.code]).toEqual([409, 'invalid_transition']);
    // the failed cancel changed nothing; end this deal by deleting it so the money settles
    stack.sandbox.telegram.deleteAsAdmin(live.channel.chatId, (await placementOf(stack, advertiser, live.placementId)).delivery.messageId);
    await waitForStatus(stack, advertiser, live.placementId, ['failed'], 15_000);
  });

  it('deleted early: the existence check fails the deal and refunds the advertiser', async () => {
    const before = await balanceOf(stack, advertiser);
    const { channel, placementId } = await scheduledDeal();
    const published = await waitForStatus(stack, advertiser, placementId, ['published'], 15_000);
    stack.sandbox.telegram.deleteAsAdmin(channel.chatId, published.delivery.messageId);
    const failed = await waitForStatus(stack, advertiser, placementId, ['failed', 'completed'], 15_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/deleted/);
    const exists = failed.delivery.checks.find((check: { kind: string }) => check.kind === 'exists');
    expect(exists).toMatchObject({ passed: false });
    await expectRefunded(placementId, before);
  });

  it('covered in the top window: a newer post above it fails the deal', async () => {
    const before = await balanceOf(stack, advertiser);
    const { channel, placementId } = await scheduledDeal();
    await waitForStatus(stack, advertiser, placementId, ['published'], 15_000);
    stack.sandbox.telegram.postAsAdmin(channel.chatId, channel.ownerUserId, { text: 'Breaking: our own news goes on top' });
    const failed = await waitForStatus(stack, advertiser, placementId, ['failed', 'completed'], 15_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/covered/);
    await expectRefunded(placementId, before);
  });

  it('edited away from the approved content: fails and refunds', async () => {
    const before = await balanceOf(stack, advertiser);
    const { channel, placementId } = await scheduledDeal();
    const published = await waitForStatus(stack, advertiser, placementId, ['published'], 15_000);
    stack.sandbox.telegram.editAsAdmin(channel.chatId, published.delivery.messageId, { text: 'Use my referral link instead' }, channel.ownerUserId);
    const failed = await waitForStatus(stack, advertiser, placementId, ['failed', 'completed'], 15_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/edited/);
    await expectRefunded(placementId, before);
  });

  it('bot lost its rights before publishing: the deal fails with that reason', async () => {
    const before = await balanceOf(stack, advertiser);
    const { channel, placementId } = await scheduledDeal(2500);
    stack.sandbox.telegram.removeAdmin(channel.chatId, stack.sandbox.platform.botId);
    const failed = await waitForStatus(stack, advertiser, placementId, ['failed', 'published', 'needs_review'], 15_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/bot_lost_rights/);
    await expectRefunded(placementId, before);
  });

  it('bot lost its rights after publishing: the check fails the deal with that reason', async () => {
    const before = await balanceOf(stack, advertiser);
    const { channel, placementId } = await scheduledDeal();
    await waitForStatus(stack, advertiser, placementId, ['published'], 15_000);
    stack.sandbox.telegram.removeAdmin(channel.chatId, stack.sandbox.platform.botId);
    const failed = await waitForStatus(stack, advertiser, placementId, ['failed', 'completed'], 15_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/bot_lost_rights/);
    await expectRefunded(placementId, before);
  });

  it('a channel whose bot lost its rights is suspended by the periodic re-check, and takes no bookings', async () => {
    const channel = await onboardChannel(stack, owner);
    stack.sandbox.telegram.setAdmin(channel.chatId, stack.sandbox.platform.botId, { canPostMessages: false });
    await stack.db.query(`UPDATE channels SET last_checked_at = now() - interval '30 days' WHERE id = $1`, [channel.id]);
    const suspended = await eventually(async () => {
      const response = await channelApi(stack).get(`/v1/channels/${channel.id}`).set(owner.auth);
      return response.body.status === 'suspended' ? response.body : undefined;
    }, 15_000, 'the channel to be suspended');
    expect(suspended.statusReason).toBe('bot_cannot_post');
    const refused = await book(stack, advertiser, channel.id, creativeId, 60_000);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'channel_not_verified']);
    const catalog = await advertiserApi(stack).get('/v1/channels?limit=100').set(advertiser.auth);
    expect(catalog.body.items.map((item: { id: string }) => item.id)).not.toContain(channel.id);
  });
});

describe('late actions', () => {
  let stack: Stack;
  let advertiser: Party;
  let owner: Party;

  beforeAll(async () => {
    stack = await startStack({ timeScale: 0.001, worker: false });
    advertiser = await signUp(stack, 'advertiser');
    owner = await signUp(stack, 'owner');
    await topUp(stack, advertiser, 100_000);
  });
  afterEach(async () => expectLedgerConsistent(stack));
  afterAll(async () => stack?.close());

  it('refuses to accept an offer after it expired, and refunds a slot the worker missed', async () => {
    const { creativeId } = await campaignWithCreative(stack, advertiser);
    const channel = await onboardChannel(stack, owner);
    const booked = await book(stack, advertiser, channel.id, creativeId, 300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const late = await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    expect([late.status, late.body.error.code]).toEqual([409, 'invalid_transition']);
    expect(late.body.error.message).toMatch(/expired/);

    // no worker runs in this stack: accept in time, then start the worker only after the top window passed
    const other = await onboardChannel(stack, owner);
    const missed = await book(stack, advertiser, other.id, creativeId, 2000);
    expect(missed.status, JSON.stringify(missed.body)).toBe(201);
    const before = await balanceOf(stack, advertiser);
    expect((await channelApi(stack).post(`/v1/offers/${missed.body.id}/accept`).set(owner.auth)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2000 + 3600 + 200));
    await stack.restartWorker();
    const failed = await waitForStatus(stack, advertiser, missed.body.id, ['failed', 'published'], 15_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/missed_slot/);
    // both deals ended without delivery (the first expired once a worker ran): everything is back
    expect(before.availableMinor).toBe(80_000);
    expect((await balanceOf(stack, advertiser)).availableMinor).toBe(100_000);
    expect(stack.sandbox.telegram.listMessages(other.chatId)).toHaveLength(0);
  });
});
