import { createHmac } from 'node:crypto';
import qs from 'qs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunningStripeSandbox, startStripeSandbox, startWebhookReceiver, WebhookReceiver } from './index';

const KEY = 'sk_test_sandboxspec';
const SECRET = 'whsec_sandboxspec';

let server: RunningStripeSandbox;
let receiver: WebhookReceiver;

async function stripeCall(method: string, path: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const encoded = qs.stringify(params, { arrayFormat: 'brackets' });
  const isGet = method === 'GET';
  const response = await fetch(`${server.url}${path}${isGet && encoded ? `?${encoded}` : ''}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: isGet ? undefined : encoded,
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/control/stripe${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startStripeSandbox({ webhookUrl: receiver.url, webhookSecret: SECRET, webhookRetry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 4 } });
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

describe('authentication and errors', () => {
  it('answers 401 with Stripe\'s error object without or with a bad key, and never echoes the key', async () => {
    const missing = await fetch(`${server.url}/v1/balance`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: unknown }).error).toMatchObject({ type: 'invalid_request_error' });
    const bad = await fetch(`${server.url}/v1/balance`, { headers: { authorization: 'Bearer sk_live_topsecret123' } });
    expect(bad.status).toBe(401);
    expect(JSON.stringify(await bad.json())).not.toContain('topsecret');
    expect(bad.headers.get('request-id')).toMatch(/^req_/);
  });

  it('accepts HTTP Basic with the key as user name, as curl -u does', async () => {
    const response = await fetch(`${server.url}/v1/balance`, { headers: { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` } });
    expect(response.status).toBe(200);
  });

  it('reports missing and malformed parameters with their codes', async () => {
    const missing = await stripeCall('POST', '/v1/payment_intents', { currency: 'usd' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_missing', param: 'amount' });
    const notInteger = await stripeCall('POST', '/v1/payment_intents', { amount: '12.5', currency: 'usd' });
    expect(notInteger.body.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'amount' });
  });

  it('answers 404 resource_missing for unknown objects and routes', async () => {
    const unknown = await stripeCall('GET', '/v1/payment_intents/pi_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'resource_missing', message: "No such payment_intent: 'pi_nope'" });
    const route = await stripeCall('GET', '/v1/nothing_here');
    expect(route.status).toBe(404);
    expect(route.body.error.type).toBe('invalid_request_error');
  });

  it('answers 402 card_error when a declining test payment method is confirmed', async () => {
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' });
    const confirmed = await stripeCall('POST', `/v1/payment_intents/${created.body.id}/confirm`, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(confirmed.status).toBe(402);
    expect(confirmed.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' });
    expect(confirmed.body.error.payment_intent.status).toBe('requires_payment_method');
  });
});

describe('objects and form encoding', () => {
  it('creates a PaymentIntent from bracketed form parameters and expands on request', async () => {
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 2500, currency: 'EUR', metadata: { topUpId: 't1' }, automatic_payment_methods: { enabled: true } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: 'payment_intent', amount: 2500, currency: 'eur', status: 'requires_payment_method', livemode: false, metadata: { topUpId: 't1' } });
    expect(created.body.id).toMatch(/^pi_/);
    expect(created.body.client_secret).toMatch(new RegExp(`^${created.body.id}_secret_`));
    expect(Number.isInteger(created.body.created)).toBe(true);

    server.sandbox.succeedPaymentIntent(created.body.id);
    const retrieved = await stripeCall('GET', `/v1/payment_intents/${created.body.id}`, { expand: ['latest_charge.balance_transaction'] });
    expect(retrieved.body.status).toBe('succeeded');
    expect(retrieved.body.latest_charge).toMatchObject({ object: 'charge', paid: true, amount_captured: 2500 });
    expect(retrieved.body.latest_charge.balance_transaction).toMatchObject({ object: 'balance_transaction', type: 'charge', amount: 2500, fee: 103, net: 2397 });
  });

  it('cancels only what may be canceled', async () => {
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' });
    const canceled = await stripeCall('POST', `/v1/payment_intents/${created.body.id}/cancel`, { cancellation_reason: 'abandoned' });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const again = await stripeCall('POST', `/v1/payment_intents/${created.body.id}/cancel`);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('payment_intent_unexpected_state');
  });

  it('refunds no more than captured minus refunded', async () => {
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' });
    server.sandbox.succeedPaymentIntent(created.body.id);
    const first = await stripeCall('POST', '/v1/refunds', { payment_intent: created.body.id, amount: 600 });
    expect(first.body).toMatchObject({ object: 'refund', amount: 600, status: 'succeeded' });
    const tooMuch = await stripeCall('POST', '/v1/refunds', { payment_intent: created.body.id, amount: 500 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount' });
    const rest = await stripeCall('POST', '/v1/refunds', { payment_intent: created.body.id });
    expect(rest.body.amount).toBe(400);
    const none = await stripeCall('POST', '/v1/refunds', { payment_intent: created.body.id });
    expect(none.body.error.code).toBe('charge_already_refunded');
  });

  it('refuses transfers to accounts that are not onboarded or beyond the balance', async () => {
    const account = await stripeCall('POST', '/v1/accounts', { type: 'express', email: 'owner@example.com', capabilities: { transfers: { requested: true } } });
    expect(account.body).toMatchObject({ object: 'account', type: 'express', charges_enabled: false, payouts_enabled: false, details_submitted: false });
    const notOnboarded = await stripeCall('POST', '/v1/transfers', { amount: 100, currency: 'usd', destination: account.body.id });
    expect(notOnboarded.status).toBe(400);
    expect(notOnboarded.body.error.code).toBe('insufficient_capabilities_for_transfer');
    server.sandbox.completeOnboarding(account.body.id);
    const broke = await stripeCall('POST', '/v1/transfers', { amount: 100, currency: 'usd', destination: account.body.id });
    expect(broke.body.error.code).toBe('balance_insufficient');
    server.sandbox.addBalance(1000, 'usd');
    const paid = await stripeCall('POST', '/v1/transfers', { amount: 100, currency: 'usd', destination: account.body.id, transfer_group: 'g1' });
    expect(paid.body).toMatchObject({ object: 'transfer', amount: 100, destination: account.body.id, transfer_group: 'g1' });
    const balance = await stripeCall('GET', '/v1/balance');
    expect(balance.body.available).toEqual([expect.objectContaining({ amount: 900, currency: 'usd' })]);
    const connected = await stripeCall('GET', '/v1/balance', {}, { 'stripe-account': account.body.id });
    expect(connected.body.available[0].amount).toBe(100);
  });

  it('paginates balance transactions newest first with created ranges', async () => {
    for (let index = 0; index < 5; index += 1) {
      server.sandbox.addBalance(100 + index, 'usd');
      server.sandbox.advanceClock(10);
    }
    const start = server.sandbox.now() - 50;
    const firstPage = await stripeCall('GET', '/v1/balance_transactions', { limit: 2, created: { gte: start + 10, lt: start + 50 } });
    expect(firstPage.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/balance_transactions' });
    expect(firstPage.body.data.map((item: { amount: number }) => item.amount)).toEqual([104, 103]);
    const secondPage = await stripeCall('GET', '/v1/balance_transactions', { limit: 2, created: { gte: start + 10, lt: start + 50 }, starting_after: firstPage.body.data[1].id });
    expect(secondPage.body.data.map((item: { amount: number }) => item.amount)).toEqual([102, 101]);
    expect(secondPage.body.has_more).toBe(false);
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and body, and refuses another body', async () => {
    const headers = { 'idempotency-key': 'same-key' };
    const first = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd', metadata: { a: '1', b: '2' } }, headers);
    const replay = await stripeCall('POST', '/v1/payment_intents', { metadata: { b: '2', a: '1' }, currency: 'usd', amount: 1000 }, headers);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const other = await stripeCall('POST', '/v1/payment_intents', { amount: 2000, currency: 'usd' }, headers);
    expect(other.status).toBe(400);
    expect(other.body.error.type).toBe('idempotency_error');
    expect(server.sandbox.snapshot().paymentIntents).toHaveLength(1);
  });

  it('does not save parameter errors, so a corrected retry with the same key goes through', async () => {
    const headers = { 'idempotency-key': 'fix-me' };
    expect((await stripeCall('POST', '/v1/payment_intents', { currency: 'usd' }, headers)).status).toBe(400);
    expect((await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' }, headers)).status).toBe(200);
  });

  it('returns the object written before an injected 500 to the retry with the same key', async () => {
    server.sandbox.injectFault({ path: '/v1/payment_intents', method: 'POST', when: 'after', mode: 'error' });
    const headers = { 'idempotency-key': 'after-500' };
    const failed = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' }, headers);
    expect(failed.status).toBe(500);
    expect(failed.body.error.type).toBe('api_error');
    const retried = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' }, headers);
    expect(retried.status).toBe(200);
    expect(server.sandbox.snapshot().paymentIntents.map((intent) => intent.id)).toEqual([retried.body.id]);
  });

  it('writes nothing when the fault comes before the endpoint runs', async () => {
    server.sandbox.injectFault({ path: '/v1/payment_intents', count: 2 });
    expect((await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' })).status).toBe(500);
    expect((await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' })).status).toBe(500);
    expect(server.sandbox.snapshot().paymentIntents).toHaveLength(0);
    expect((await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' })).status).toBe(200);
  });
});

describe('webhooks', () => {
  function verify(rawBody: string, header: string | undefined): boolean {
    const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=') as [string, string]));
    const expected = createHmac('sha256', SECRET).update(`${parts['t']}.${rawBody}`).digest('hex');
    return parts['v1'] === expected && Math.abs(Date.now() / 1000 - Number(parts['t'])) < 300;
  }

  it('signs each event as Stripe does and posts it to the endpoint', async () => {
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' }, { 'idempotency-key': 'k-hook' });
    server.sandbox.succeedPaymentIntent(created.body.id);
    const delivery = await receiver.waitFor((item) => item.event.type === 'payment_intent.succeeded');
    expect(verify(delivery.rawBody, delivery.signature)).toBe(true);
    expect(delivery.event).toMatchObject({ object: 'event', livemode: false, data: { object: { id: created.body.id, status: 'succeeded' } } });
    const createdEvent = await receiver.waitFor((item) => item.event.type === 'payment_intent.created');
    expect(createdEvent.event['request']).toMatchObject({ idempotency_key: 'k-hook' });
    const fetched = await stripeCall('GET', `/v1/events/${delivery.event.id}`);
    expect(fetched.body.id).toBe(delivery.event.id);
  });

  it('retries a failing endpoint with backoff until it accepts', async () => {
    receiver.failNext(2);
    server.sandbox.addBalance(100, 'usd');
    const account = await stripeCall('POST', '/v1/accounts', { type: 'express' });
    server.sandbox.completeOnboarding(account.body.id);
    const delivery = await receiver.waitFor((item) => item.event.type === 'account.updated');
    expect(delivery.event['account']).toBe(account.body.id);
    await server.sandbox.webhooksIdle();
    const attempts = server.sandbox.deliveries().filter((attempt) => attempt.eventId === delivery.event.id);
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 200]);
  });

  it('holds deliveries and releases them in a chosen order, and redelivers duplicates', async () => {
    await control('POST', '/webhooks/hold');
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' });
    await control('POST', `/payment_intents/${created.body.id}/succeed`);
    const held = (await control('GET', '/webhooks/held')).body.eventIds as string[];
    expect(held).toHaveLength(3);
    expect(receiver.received).toHaveLength(0);
    await control('POST', '/webhooks/release', { order: 'reverse' });
    expect(receiver.received.map((item) => item.event.type)).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created']);
    const succeeded = receiver.received[0].event.id;
    const redelivered = await control('POST', `/events/${succeeded}/deliver`);
    expect(redelivered.body.deliveries[0]).toMatchObject({ ok: true });
    expect(receiver.received.filter((item) => item.event.id === succeeded)).toHaveLength(2);
  });
});

describe('control routes', () => {
  it('completes a checkout session, disputes its charge and reports misuse as JSON errors', async () => {
    const session = await stripeCall('POST', '/v1/checkout/sessions', {
      mode: 'payment',
      success_url: 'https://example.com/ok',
      line_items: [{ quantity: 2, price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Top-up' } } }],
      payment_intent_data: { metadata: { topUpId: 't9' } },
    });
    expect(session.body).toMatchObject({ object: 'checkout.session', amount_total: 1000, status: 'open', payment_intent: null });
    expect(session.body.url).toContain(`/checkout/pay/${session.body.id}`);
    const completed = await control('POST', `/checkout/sessions/${session.body.id}/complete`);
    expect(completed.body).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const intent = await stripeCall('GET', `/v1/payment_intents/${completed.body.payment_intent}`);
    expect(intent.body).toMatchObject({ status: 'succeeded', metadata: { topUpId: 't9' } });
    const dispute = await control('POST', `/charges/${intent.body.latest_charge}/dispute`, { reason: 'fraudulent' });
    expect(dispute.body).toMatchObject({ object: 'dispute', amount: 1000, status: 'needs_response' });
    await receiver.waitFor((item) => item.event.type === 'charge.dispute.created');
    expect((await control('POST', `/disputes/${dispute.body.id}/close`, { status: 'warning_closed' })).status).toBe(409);
    const won = await control('POST', `/disputes/${dispute.body.id}/close`, { status: 'won' });
    expect(won.body).toMatchObject({ id: dispute.body.id, status: 'won' });
    expect(won.body.balance_transactions.map((transaction: { amount: number; reporting_category: string }) => [transaction.amount, transaction.reporting_category])).toEqual([[-1000, 'dispute'], [1000, 'dispute_reversal']]);
    const closed = await receiver.waitFor((item) => item.event.type === 'charge.dispute.closed');
    expect((closed.event as unknown as { data: { object: unknown } }).data.object).toMatchObject({ id: dispute.body.id, status: 'won' });
    expect((await control('POST', `/disputes/${dispute.body.id}/close`, { status: 'lost' })).status).toBe(409);
    const again = await control('POST', `/checkout/sessions/${session.body.id}/complete`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('unexpected_state');
    expect((await control('POST', '/payment_intents/pi_nope/succeed')).status).toBe(404);
  });

  it('fails a succeeded refund: the amount comes back in a refund_failure balance transaction, refund.updated and refund.failed', async () => {
    const created = await stripeCall('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd' });
    server.sandbox.succeedPaymentIntent(created.body.id);
    const refund = await stripeCall('POST', '/v1/refunds', { payment_intent: created.body.id, amount: 600, metadata: { refundId: 'r1' } });
    expect(refund.body).toMatchObject({ status: 'succeeded' });
    const failed = await control('POST', `/refunds/${refund.body.id}/fail`, { reason: 'lost_or_stolen_card' });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(failed.body).toMatchObject({ id: refund.body.id, status: 'failed', failure_reason: 'lost_or_stolen_card', failure_balance_transaction: expect.stringMatching(/^txn_/) });
    const transaction = await stripeCall('GET', `/v1/balance_transactions/${failed.body.failure_balance_transaction}`);
    expect(transaction.body).toMatchObject({ amount: 600, type: 'refund_failure', reporting_category: 'refund_failure', source: refund.body.id });
    const expanded = await stripeCall('GET', `/v1/refunds/${refund.body.id}`, { expand: ['failure_balance_transaction'] });
    expect(expanded.body.failure_balance_transaction).toMatchObject({ id: failed.body.failure_balance_transaction, amount: 600 });
    const charge = await stripeCall('GET', `/v1/charges/${refund.body.charge}`);
    expect(charge.body).toMatchObject({ amount_refunded: 0, refunded: false });
    const updated = await receiver.waitFor((item) => item.event.type === 'refund.updated');
    expect(updated.event).toMatchObject({ data: { object: { id: refund.body.id, status: 'failed' }, previous_attributes: { status: 'succeeded' } } });
    const failedEvent = await receiver.waitFor((item) => item.event.type === 'refund.failed');
    expect(failedEvent.event).toMatchObject({ data: { object: { id: refund.body.id, status: 'failed', metadata: { refundId: 'r1' } } } });
    // the whole amount can be refunded again; a failed refund does not fail twice
    expect((await stripeCall('POST', '/v1/refunds', { payment_intent: created.body.id })).body).toMatchObject({ amount: 1000, status: 'succeeded' });
    expect((await control('POST', `/refunds/${refund.body.id}/fail`)).status).toBe(409);
    expect((await control('POST', '/refunds/re_nope/fail')).status).toBe(404);
    expect((await control('POST', `/refunds/${refund.body.id}/fail`, { reason: 'bad' })).status).toBe(400);
  });

  it('makes the next transfer fail and injects faults over HTTP', async () => {
    await control('POST', '/balance', { amount: 1000, currency: 'usd' });
    const account = await stripeCall('POST', '/v1/accounts', { type: 'express' });
    await control('POST', `/accounts/${account.body.id}/complete_onboarding`);
    await control('POST', '/transfers/fail_next', { code: 'transfers_not_allowed', message: 'No.' });
    const failed = await stripeCall('POST', '/v1/transfers', { amount: 100, currency: 'usd', destination: account.body.id });
    expect(failed.body.error).toMatchObject({ code: 'transfers_not_allowed', message: 'No.' });
    expect((await stripeCall('POST', '/v1/transfers', { amount: 100, currency: 'usd', destination: account.body.id })).status).toBe(200);
    await control('POST', '/faults', { path: '/v1/balance', count: 1 });
    expect((await stripeCall('GET', '/v1/balance')).status).toBe(500);
    expect((await stripeCall('GET', '/v1/balance')).status).toBe(200);
  });
});
