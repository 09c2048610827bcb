import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The sandbox is a test server at the Stripe boundary: only specs import it, the library never does.
import { RunningStripeSandbox, startStripeSandbox, startWebhookReceiver, WebhookReceiver } from '../../../apps/sandbox/src/stripe';
import { StripePaymentsProvider, StripeProviderError, verifyStripeWebhook, WebhookSignatureError } from './index';

const SECRET_KEY = 'sk_test_providerspec';
const WEBHOOK_SECRET = 'whsec_providerspec';

let server: RunningStripeSandbox;
let receiver: WebhookReceiver;
let provider: StripePaymentsProvider;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startStripeSandbox({ webhookUrl: receiver.url, webhookSecret: WEBHOOK_SECRET, webhookRetry: { baseDelayMs: 10, maxDelayMs: 50 } });
  provider = new StripePaymentsProvider({ secretKey: SECRET_KEY, apiBase: server.url, maxNetworkRetries: 2, timeoutMs: 2_000 });
});

afterEach(async () => {
  await server.sandbox.webhooksIdle();
  server.sandbox.reset();
  receiver.received.length = 0;
});

afterAll(async () => {
  await server.close();
  await receiver.close();
});

async function onboardedAccount(): Promise<string> {
  const { accountRef } = await provider.createConnectedAccount({ ownerId: `owner-${Math.random()}`, email: 'owner@example.com' });
  server.sandbox.completeOnboarding(accountRef);
  return accountRef;
}

describe('top-ups', () => {
  it('creates a pending PaymentIntent; the payment is confirmed by a signed webhook that verifies', async () => {
    const result = await provider.createTopUp({ topUpId: 'top-1', accountId: 'acc-1', amountMinor: 5000, currency: 'USD' });
    expect(result).toMatchObject({ status: 'pending', checkoutUrl: null });
    expect(result.providerRef).toMatch(/^pi_/);
    expect(result.clientSecret).toMatch(/_secret_/);

    server.sandbox.succeedPaymentIntent(result.providerRef!);
    const delivery = await receiver.waitFor((item) => item.event.type === 'payment_intent.succeeded');
    const event = verifyStripeWebhook(Buffer.from(delivery.rawBody), delivery.signature, WEBHOOK_SECRET);
    expect(event.type).toBe('payment_intent.succeeded');
    const intent = event.data.object as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ id: result.providerRef, amount_received: 5000, metadata: { topUpId: 'top-1', accountId: 'acc-1' } });
    await expect(provider.retrieveTopUp(result.providerRef!)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('makes one PaymentIntent for the same top-up asked twice', async () => {
    const request = { topUpId: 'top-2', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' };
    const first = await provider.createTopUp(request);
    const second = await provider.createTopUp(request);
    expect(second.providerRef).toBe(first.providerRef);
    expect(server.sandbox.snapshot().paymentIntents).toHaveLength(1);
  });

  it('refuses the same top-up id with another amount instead of charging twice', async () => {
    await provider.createTopUp({ topUpId: 'top-3', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' });
    const error = await provider.createTopUp({ topUpId: 'top-3', accountId: 'acc-1', amountMinor: 6000, currency: 'usd' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeProviderError);
    expect(error).toMatchObject({ code: 'idempotency_error', retryable: false });
  });

  it('is retried by the SDK after a 500 that followed the write, and yields one object', async () => {
    server.sandbox.injectFault({ path: '/v1/payment_intents', method: 'POST', when: 'after', mode: 'error' });
    const result = await provider.createTopUp({ topUpId: 'top-4', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' });
    const intents = server.sandbox.snapshot().paymentIntents;
    expect(intents.map((intent) => intent.id)).toEqual([result.providerRef]);
    expect(server.sandbox.faults.list()).toHaveLength(0);
  });

  it('is retried by the SDK after a timeout whose request was written, and yields one object', async () => {
    const impatient = new StripePaymentsProvider({ secretKey: SECRET_KEY, apiBase: server.url, maxNetworkRetries: 2, timeoutMs: 300 });
    server.sandbox.injectFault({ path: '/v1/payment_intents', method: 'POST', when: 'after', mode: 'hang' });
    const result = await impatient.createTopUp({ topUpId: 'top-5', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' });
    expect(server.sandbox.snapshot().paymentIntents.map((intent) => intent.id)).toEqual([result.providerRef]);
  });

  it('reports an outage that outlasts the retries as a retryable error, and the retry later charges once', async () => {
    server.sandbox.injectFault({ path: '/v1/payment_intents', method: 'POST', when: 'before', mode: 'error', count: 3 });
    const request = { topUpId: 'top-6', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' };
    await expect(provider.createTopUp(request)).rejects.toMatchObject({ name: 'StripeProviderError', retryable: true });
    const later = await provider.createTopUp(request);
    expect(server.sandbox.snapshot().paymentIntents.map((intent) => intent.id)).toEqual([later.providerRef]);
  });

  it('can go through a hosted Checkout Session whose PaymentIntent carries our ids', async () => {
    const checkout = new StripePaymentsProvider({ secretKey: SECRET_KEY, apiBase: server.url, checkout: { successUrl: 'https://placard.example/paid' } });
    const result = await checkout.createTopUp({ topUpId: 'top-7', accountId: 'acc-7', amountMinor: 2000, currency: 'eur' });
    expect(result).toMatchObject({ status: 'pending', clientSecret: null });
    expect(result.providerRef).toMatch(/^cs_test_/);
    expect(result.checkoutUrl).toContain(server.url);
    server.sandbox.completeCheckoutSession(result.providerRef!);
    const delivery = await receiver.waitFor((item) => item.event.type === 'payment_intent.succeeded');
    const event = verifyStripeWebhook(delivery.rawBody, delivery.signature, WEBHOOK_SECRET);
    expect((event.data.object as Stripe.PaymentIntent).metadata).toEqual({ topUpId: 'top-7', accountId: 'acc-7' });
    await expect(checkout.retrieveTopUp(result.providerRef!)).resolves.toMatchObject({ status: 'succeeded' });
    // A refund against the session goes to its PaymentIntent.
    await expect(checkout.refund({ refundId: 'ref-7', providerRef: result.providerRef!, amountMinor: 500 })).resolves.toMatchObject({ status: 'succeeded' });
  });
});

describe('refunds', () => {
  it('refunds part of a PaymentIntent once per refund id, and refuses more than is left', async () => {
    const topUp = await provider.createTopUp({ topUpId: 'top-r', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' });
    server.sandbox.succeedPaymentIntent(topUp.providerRef!);
    const refund = await provider.refund({ refundId: 'ref-1', providerRef: topUp.providerRef!, amountMinor: 2000 });
    expect(refund).toMatchObject({ status: 'succeeded' });
    expect(refund.providerRef).toMatch(/^re_/);
    const again = await provider.refund({ refundId: 'ref-1', providerRef: topUp.providerRef!, amountMinor: 2000 });
    expect(again.providerRef).toBe(refund.providerRef);
    const charged = await receiver.waitFor((item) => item.event.type === 'charge.refunded');
    expect((charged.event['data'] as { object: Stripe.Charge }).object.amount_refunded).toBe(2000);
    await expect(provider.refund({ refundId: 'ref-2', providerRef: topUp.providerRef!, amountMinor: 3001 }))
      .rejects.toMatchObject({ code: 'amount_too_large', retryable: false });
    await expect(provider.refund({ refundId: 'ref-3', providerRef: topUp.providerRef!, amountMinor: 3000 })).resolves.toMatchObject({ status: 'succeeded' });
  });
});

describe('Connect payouts', () => {
  it('onboards an Express account and is told so by account.updated', async () => {
    const { accountRef } = await provider.createConnectedAccount({ ownerId: 'owner-1', email: 'owner@example.com' });
    expect(accountRef).toMatch(/^acct_/);
    await expect(provider.connectedAccountStatus(accountRef)).resolves.toMatchObject({ payoutsEnabled: false, transfersActive: false });
    const { url } = await provider.createOnboardingLink({ accountRef, returnUrl: 'https://placard.example/return', refreshUrl: 'https://placard.example/refresh' });
    // The owner submits the hosted form.
    const submitted = await fetch(url, { method: 'POST', redirect: 'manual' });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe('https://placard.example/return');
    const delivery = await receiver.waitFor((item) => item.event.type === 'account.updated');
    const event = verifyStripeWebhook(delivery.rawBody, delivery.signature, WEBHOOK_SECRET);
    expect(event.account).toBe(accountRef);
    expect(event.data.object as Stripe.Account).toMatchObject({ id: accountRef, charges_enabled: true, payouts_enabled: true, details_submitted: true });
    await expect(provider.connectedAccountStatus(accountRef)).resolves.toMatchObject({ payoutsEnabled: true, transfersActive: true });
  });

  it('pays out by a transfer once per payout id, and reverses part of it', async () => {
    const destination = await onboardedAccount();
    server.sandbox.addBalance(10_000, 'usd');
    const request = { payoutId: 'pay-1', destination, amountMinor: 4000, currency: 'usd' };
    const paid = await provider.payout(request);
    expect(paid).toMatchObject({ status: 'paid' });
    expect(paid.providerRef).toMatch(/^tr_/);
    expect((await provider.payout(request)).providerRef).toBe(paid.providerRef);
    expect(server.sandbox.snapshot().transfers).toHaveLength(1);
    await receiver.waitFor((item) => item.event.type === 'transfer.created');

    const reversal = await provider.reversePayout({ reversalId: 'rev-1', providerRef: paid.providerRef!, amountMinor: 1500 });
    expect(reversal).toMatchObject({ amountMinor: 1500 });
    expect(reversal.providerRef).toMatch(/^trr_/);
    const reversed = await receiver.waitFor((item) => item.event.type === 'transfer.reversed');
    expect((reversed.event['data'] as { object: Stripe.Transfer }).object).toMatchObject({ amount_reversed: 1500, reversed: false });
    expect(server.sandbox.snapshot().balance['usd']).toBe(10_000 - 4000 + 1500);
  });

  it('reports refused transfers as failed payouts with Stripe\'s reason', async () => {
    const { accountRef } = await provider.createConnectedAccount({ ownerId: 'owner-x', email: 'x@example.com' });
    server.sandbox.addBalance(10_000, 'usd');
    const notOnboarded = await provider.payout({ payoutId: 'pay-2', destination: accountRef, amountMinor: 100, currency: 'usd' });
    expect(notOnboarded).toMatchObject({ status: 'failed', providerRef: null });
    expect(notOnboarded.failureReason).toMatch(/^insufficient_capabilities_for_transfer:/);

    server.sandbox.completeOnboarding(accountRef);
    const tooMuch = await provider.payout({ payoutId: 'pay-3', destination: accountRef, amountMinor: 1_000_000, currency: 'usd' });
    expect(tooMuch.failureReason).toMatch(/^balance_insufficient:/);

    server.sandbox.failNextTransfers(1, { code: 'transfers_not_allowed', message: 'Transfers are paused.' });
    expect(await provider.payout({ payoutId: 'pay-4', destination: accountRef, amountMinor: 100, currency: 'usd' }))
      .toMatchObject({ status: 'failed', failureReason: 'transfers_not_allowed: Transfers are paused.' });
    // Stripe keeps the refusal under the key: the same payout id gets it again, a new attempt id goes through.
    expect((await provider.payout({ payoutId: 'pay-4', destination: accountRef, amountMinor: 100, currency: 'usd' })).status).toBe('failed');
    expect((await provider.payout({ payoutId: 'pay-5', destination: accountRef, amountMinor: 100, currency: 'usd' })).status).toBe('paid');
  });
});

describe('webhook verification', () => {
  const payload = JSON.stringify({ id: 'evt_test', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });
  const header = (options: { secret?: string; timestamp?: number } = {}): string =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET, timestamp: options.timestamp });

  it('accepts a correctly signed body', () => {
    expect(verifyStripeWebhook(payload, header(), WEBHOOK_SECRET).id).toBe('evt_test');
  });

  it('rejects a missing header, a malformed header, a wrong secret and a changed body', () => {
    const reason = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookSignatureError);
        expect((error as Error).message).not.toContain(WEBHOOK_SECRET);
        return (error as WebhookSignatureError).reason;
      }
      return undefined;
    };
    expect(reason(() => verifyStripeWebhook(payload, undefined, WEBHOOK_SECRET))).toBe('missing_header');
    expect(reason(() => verifyStripeWebhook(payload, 'garbage', WEBHOOK_SECRET))).toBe('malformed_header');
    expect(reason(() => verifyStripeWebhook(payload, header({ secret: 'whsec_other' }), WEBHOOK_SECRET))).toBe('bad_signature');
    expect(reason(() => verifyStripeWebhook(payload.replace('evt_test', 'evt_forged'), header(), WEBHOOK_SECRET))).toBe('bad_signature');
  });

  it('rejects a genuine signature older than the tolerance', () => {
    const old = header({ timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(() => verifyStripeWebhook(payload, old, WEBHOOK_SECRET)).toThrow(expect.objectContaining({ reason: 'timestamp_out_of_tolerance' }));
    expect(verifyStripeWebhook(payload, old, WEBHOOK_SECRET, 600).id).toBe('evt_test');
  });

  it('verifies what the sandbox redelivers (duplicates carry the same event id)', async () => {
    const topUp = await provider.createTopUp({ topUpId: 'top-d', accountId: 'acc-1', amountMinor: 5000, currency: 'usd' });
    server.sandbox.succeedPaymentIntent(topUp.providerRef!);
    const first = await receiver.waitFor((item) => item.event.type === 'payment_intent.succeeded');
    await server.sandbox.redeliverEvent(first.event.id);
    const copies = receiver.received.filter((item) => item.event.id === first.event.id);
    expect(copies).toHaveLength(2);
    for (const copy of copies) expect(verifyStripeWebhook(copy.rawBody, copy.signature, WEBHOOK_SECRET).id).toBe(first.event.id);
  });
});

describe('reconciliation', () => {
  it('lists every balance transaction in a window across pages', async () => {
    const windowStart = new Date(server.sandbox.now() * 1000);
    for (let index = 0; index < 7; index += 1) {
      const topUp = await provider.createTopUp({ topUpId: `rec-${index}`, accountId: 'acc-1', amountMinor: 1000 + index, currency: 'usd' });
      server.sandbox.succeedPaymentIntent(topUp.providerRef!);
      server.sandbox.advanceClock(1);
    }
    const windowEnd = new Date(server.sandbox.now() * 1000);
    server.sandbox.addBalance(1, 'usd'); // at windowEnd: outside [start, end)

    const seen = [];
    for await (const transaction of provider.listBalanceTransactions(windowStart, windowEnd, { pageSize: 3 })) seen.push(transaction);
    expect(seen.map((transaction) => transaction.amountMinor)).toEqual([1006, 1005, 1004, 1003, 1002, 1001, 1000]);
    expect(new Set(seen.map((transaction) => transaction.id)).size).toBe(7);
    expect(seen[0]).toMatchObject({ type: 'charge', currency: 'usd', feeMinor: 59, netMinor: 947 });
    expect(seen[0].sourceId).toMatch(/^ch_/);
  });
});

describe('configuration', () => {
  it('never puts the secret key in its errors', async () => {
    const wrong = new StripePaymentsProvider({ secretKey: 'sk_live_do_not_leak_me', apiBase: server.url, maxNetworkRetries: 0 });
    const error = await wrong.createTopUp({ topUpId: 'x', accountId: 'y', amountMinor: 100, currency: 'usd' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'authentication_failed', retryable: false });
    expect(JSON.stringify(error) + String(error)).not.toContain('do_not_leak');
  });
});
