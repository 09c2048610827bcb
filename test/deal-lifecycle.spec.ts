import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  advertiserApi,
  balanceOf,
  book,
  campaignWithCreative,
  channelApi,
  earningsOf,
  onboardChannel,
  signUp,
  topUp,
  waitForStatus,
  type Party,
} from './support/factories';
import { expectLedgerConsistent } from './support/ledger-invariants';
import { startStack, type Stack } from './support/stack';

describe('a whole deal: escrow, offer, publish, verify, settle', () => {
  let stack: Stack;
  let advertiser: Party;
  let owner: Party;

  beforeAll(async () => {
    stack = await startStack({ timeScale: 0.0001 }); // 1/24: top window 0.36 s, the whole format 8.6 s
    advertiser = await signUp(stack, 'advertiser', 'Acme Wallet');
    owner = await signUp(stack, 'owner');
  });
  afterEach(async () => expectLedgerConsistent(stack));
  afterAll(async () => stack?.close());

  it('publishes the approved post once, proves it stayed up, and pays the owner minus the fee', async () => {
    const channel = await onboardChannel(stack, owner, { priceMinor: 25_000 });
    await topUp(stack, advertiser, 100_000);
    const { creativeId } = await campaignWithCreative(stack, advertiser, { topics: ['crypto'], regulatorToken: 'ERID2VtzqX' });

    const booked = await book(stack, advertiser, channel.id, creativeId, 2000);
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body).toMatchObject({ status: 'offered', priceMinor: 25_000, currency: 'USD', delivery: null });
    expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 75_000, reservedMinor: 25_000 });

    const offers = await channelApi(stack).get('/v1/offers?status=offered').set(owner.auth);
    const offer = offers.body.items.find((item: { id: string }) => item.id === booked.body.id);
    expect(offer.post.text).toBe('Try the Acme wallet: self-custody, zero fees.\n\n#ad · Acme Wallet · erid: ERID2VtzqX');

    const accepted = await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe('scheduled');
    expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 0, pendingMinor: 22_500 });

    const published = await waitForStatus(stack, advertiser, booked.body.id, ['published', 'completed'], 15_000);
    expect(published.delivery.messageId).toEqual(expect.any(Number));
    const visible = stack.sandbox.telegram.listMessages(channel.chatId);
    const ours = visible.filter((message) => message.message_id === published.delivery.messageId);
    expect(ours).toHaveLength(1);
    expect(ours[0].text).toBe(offer.post.text);

    const completed = await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed', 'needs_review'], 30_000);
    expect(completed.status, JSON.stringify(completed.history)).toBe('completed');
    expect(completed.history.map((event: { status: string }) => event.status)).toEqual(['offered', 'scheduled', 'published', 'completed']);
    const kinds = new Set(completed.delivery.checks.map((check: { kind: string }) => check.kind));
    expect([...kinds].sort()).toEqual(['context', 'exists', 'not_covered', 'not_edited']);
    for (const check of completed.delivery.checks.filter((check: { kind: string }) => check.kind !== 'context')) expect(check.passed).toBe(true);
    const context = completed.delivery.checks.filter((check: { kind: string }) => check.kind === 'context');
    // no channel posts were ingested: the record must say the context was not checked, not that it passed
    for (const check of context) expect([check.verdict, check.passed]).toEqual(['not_checked', null]);

    expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 75_000, reservedMinor: 0 });
    expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 22_500, pendingMinor: 0 });
    const fees = await stack.db.query(`SELECT SUM(balance_minor) AS total FROM ledger_accounts WHERE type = 'platform_fees' AND currency = 'USD'`);
    expect(Number(fees[0].total)).toBe(2_500);
    // exactly one post in the channel: never a double post
    expect(stack.sandbox.telegram.listMessages(channel.chatId).filter((message) => String(message.text).includes('#ad'))).toHaveLength(1);
  });
});
