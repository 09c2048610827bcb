import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountsService, ReconciliationService } from '#libs/marketplace';
import { QueueProducer, jobIdFor } from '#libs/queue';
import {
  advertiserApi,
  balanceOf,
  book,
  campaignWithCreative,
  channelApi,
  earningsOf,
  eventually,
  onboardChannel,
  signUp,
  waitForStatus,
  type Party,
} from './support/factories';
import { expectLedgerConsistent } from './support/ledger-invariants';
import { STRIPE_TEST_SECRET_KEY, STRIPE_TEST_WEBHOOK_SECRET, startStack, type Stack } from './support/stack';

/** A Stripe top-up through the API: pending until the sandbox's customer pays and the webhook arrives. */
async function startTopUp(stack: Stack, advertiser: Party, amountMinor: number) {
  const response = await advertiserApi(stack).post('/v1/balance/top-ups').set(advertiser.auth).send({ amountMinor, currency: 'USD' });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  expect(response.body).toMatchObject({ status: 'pending', provider: 'stripe', clientSecret: expect.stringMatching(/^pi_.+_secret_/) });
  return { topUpId: response.body.id as string, paymentIntentId: (response.body.clientSecret as string).split('_secret_')[0] };
}

async function paidTopUp(stack: Stack, advertiser: Party, amountMinor: number) {
  const before = (await balanceOf(stack, advertiser)).availableMinor;
  const topUp = await startTopUp(stack, advertiser, amountMinor);
  stack.sandbox.stripe.succeedPaymentIntent(topUp.paymentIntentId);
  await eventually(async () => ((await balanceOf(stack, advertiser)).availableMinor === before + amountMinor ? true : undefined), 10_000, 'the top-up credit');
  return topUp;
}

async function topUpStatus(stack: Stack, topUpId: string): Promise<string> {
  const [row] = await stack.db.query(`SELECT status FROM top_ups WHERE id = $1`, [topUpId]);
  return row.status;
}

function signed(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
}

async function payoutsOf(stack: Stack, owner: Party) {
  const response = await channelApi(stack).get('/v1/payouts').set(owner.auth);
  expect(response.status).toBe(200);
  return response.body.items as { id: string; status: string; amountMinor: number; reversedMinor: number; transferId: string | null; failureReason: string | null }[];
}

async function waitForPayout(stack: Stack, owner: Party, payoutId: string, statuses: string[]) {
  return eventually(
    async () => (await payoutsOf(stack, owner)).find((payout) => payout.id === payoutId && statuses.includes(payout.status)),
    15_000,
    `payout ${payoutId} to be ${statuses.join(' or ')}`,
  );
}

/** short, so that a request the sandbox leaves hanging times out quickly; far above any real answer of the local sandbox */
const STRIPE_TIMEOUT_MS = 2_000;

async function journalCount(stack: Stack, reference: string): Promise<number> {
  const [row] = await stack.db.query(`SELECT count(*)::int AS n FROM journal_entries WHERE reference = $1`, [reference]);
  return row.n;
}

function eventOf(stack: Stack, type: string, objectId: string) {
  const event = stack.sandbox.stripe.events({ type }).find((candidate) => (candidate.data.object as { id: string }).id === objectId);
  if (!event) throw new Error(`no ${type} event for ${objectId}`);
  return event;
}

describe('Stripe money rails (the real SDK against the sandbox Stripe server)', () => {
  let stack: Stack;
  const startedAt = new Date();

  beforeAll(async () => {
    stack = await startStack({ stripe: true, timeScale: 0.0001, env: { STRIPE_TIMEOUT_MS: String(STRIPE_TIMEOUT_MS) } });
  });
  afterEach(async () => {
    await stack.sandbox.stripe.webhooksIdle();
    await expectLedgerConsistent(stack);
  });
  afterAll(async () => stack?.close());

  describe('top-ups', () => {
    it('credits a top-up once although its webhook is delivered three times and out of order', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const stripe = stack.sandbox.stripe;
      stripe.holdWebhooks();
      const { topUpId, paymentIntentId } = await startTopUp(stack, advertiser, 50_000);
      stripe.succeedPaymentIntent(paymentIntentId);
      // nothing is credited before the signed webhook arrives
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(0);
      expect(await topUpStatus(stack, topUpId)).toBe('pending');

      const succeeded = stripe.events({ type: 'payment_intent.succeeded' }).find((event) => (event.data.object as { id: string }).id === paymentIntentId)!;
      await stripe.releaseWebhooks('reverse'); // charge.succeeded, payment_intent.succeeded, created… newest first
      await Promise.all([stripe.redeliverEvent(succeeded.id), stripe.redeliverEvent(succeeded.id)]);
      await stripe.webhooksIdle();

      const deliveries = stripe.deliveries().filter((delivery) => delivery.eventId === succeeded.id && delivery.ok);
      expect(deliveries.length).toBeGreaterThanOrEqual(3);
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 50_000, reservedMinor: 0 });
      expect(await topUpStatus(stack, topUpId)).toBe('succeeded');
      const entries = await stack.db.query(`SELECT count(*)::int AS n FROM journal_entries WHERE reference = $1`, [`top-up:${topUpId}`]);
      expect(entries[0].n).toBe(1);
      const processed = await stack.db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE id = $1`, [succeeded.id]);
      expect(processed[0].n).toBe(1);
    });

    it('credits nothing for a failed payment or a cancelled one and marks the top-up failed; a late failure never undoes a success', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const declined = await startTopUp(stack, advertiser, 20_000);
      stack.sandbox.stripe.failPaymentIntent(declined.paymentIntentId, { declineCode: 'insufficient_funds' });
      await eventually(async () => ((await topUpStatus(stack, declined.topUpId)) === 'failed' ? true : undefined), 10_000, 'the failed top-up');

      const cancelled = await startTopUp(stack, advertiser, 30_000);
      const stripeClient = new Stripe(STRIPE_TEST_SECRET_KEY, { host: '127.0.0.1', port: new URL(stack.sandbox.url).port, protocol: 'http' });
      await stripeClient.paymentIntents.cancel(cancelled.paymentIntentId);
      await eventually(async () => ((await topUpStatus(stack, cancelled.topUpId)) === 'failed' ? true : undefined), 10_000, 'the cancelled top-up');
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(0);

      // the payer retries the declined PaymentIntent with another card: the money arrived, so it is credited
      stack.sandbox.stripe.succeedPaymentIntent(declined.paymentIntentId);
      await eventually(async () => ((await balanceOf(stack, advertiser)).availableMinor === 20_000 ? true : undefined), 10_000, 'the late success');
      const failure = stack.sandbox.stripe.events({ type: 'payment_intent.payment_failed' }).find((event) => (event.data.object as { id: string }).id === declined.paymentIntentId)!;
      await stack.sandbox.stripe.redeliverEvent(failure.id);
      expect(await topUpStatus(stack, declined.topUpId)).toBe('succeeded');
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(20_000);
    });

    it('refuses a webhook with a bad signature, an old timestamp or no signature (400 invalid_signature) and writes nothing', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const { topUpId, paymentIntentId } = await startTopUp(stack, advertiser, 40_000);
      const forged = JSON.stringify({
        id: 'evt_forged_1',
        object: 'event',
        type: 'payment_intent.succeeded',
        created: Math.floor(Date.now() / 1000),
        data: { object: { id: paymentIntentId, object: 'payment_intent', amount: 40_000, amount_received: 40_000, currency: 'usd', status: 'succeeded', latest_charge: 'ch_forged', metadata: { topUpId } } },
      });
      const eventsBefore = await stack.db.query(`SELECT count(*)::int AS n FROM stripe_events`);
      const attempts = [
        signed(forged, 'whsec_not_the_secret'),
        signed(forged, STRIPE_TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
        undefined,
        't=abc,v1=zz',
      ];
      for (const api of [advertiserApi(stack), channelApi(stack)]) {
        for (const signature of attempts) {
          const call = api.post('/v1/stripe/webhook').set('Content-Type', 'application/json');
          const response = await (signature ? call.set('Stripe-Signature', signature) : call).send(forged);
          expect(response.status, JSON.stringify(response.body)).toBe(400);
          expect(response.body.error.code).toBe('invalid_signature');
          expect(JSON.stringify(response.body)).not.toContain(STRIPE_TEST_WEBHOOK_SECRET);
        }
      }
      // a good signature over another body is refused too
      const tampered = await advertiserApi(stack)
        .post('/v1/stripe/webhook')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signed(forged, STRIPE_TEST_WEBHOOK_SECRET))
        .send(forged.replace('40000', '90000'));
      expect(tampered.status).toBe(400);
      expect(await stack.db.query(`SELECT count(*)::int AS n FROM stripe_events`)).toEqual(eventsBefore);
      expect(await topUpStatus(stack, topUpId)).toBe('pending');
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(0);
    });

    it('retries a Stripe 500 with the same idempotency key and creates one PaymentIntent', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      stack.sandbox.stripe.injectFault({ path: '/v1/payment_intents', method: 'POST', count: 2, mode: 'error', when: 'after' });
      const { topUpId, paymentIntentId } = await startTopUp(stack, advertiser, 25_000);
      const intents = stack.sandbox.stripe.snapshot().paymentIntents.filter((intent) => intent.metadata['topUpId'] === topUpId);
      expect(intents.map((intent) => intent.id)).toEqual([paymentIntentId]);
      const created = stack.sandbox.stripe.events({ type: 'payment_intent.created' }).filter((event) => (event.data.object as { id: string }).id === paymentIntentId);
      expect(created).toHaveLength(1);
      expect(created[0].request).toMatchObject({ idempotency_key: `topup:${topUpId}` });

      stack.sandbox.stripe.succeedPaymentIntent(paymentIntentId);
      await eventually(async () => ((await balanceOf(stack, advertiser)).availableMinor === 25_000 ? true : undefined), 10_000, 'the credit');
    });

    it('times out a PaymentIntent create whose answer never comes (STRIPE_TIMEOUT_MS), retries it under the same key and credits the one PaymentIntent once', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      // Stripe writes the PaymentIntent, then the answer is lost: the connection hangs until the SDK gives up
      stack.sandbox.stripe.injectFault({ path: '/v1/payment_intents', method: 'POST', count: 1, mode: 'hang', when: 'after' });
      const started = Date.now();
      const { topUpId, paymentIntentId } = await startTopUp(stack, advertiser, 35_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(STRIPE_TIMEOUT_MS);
      expect(stack.sandbox.stripe.faults.list()).toEqual([]); // the hang was used up by the first request
      const intents = stack.sandbox.stripe.snapshot().paymentIntents.filter((intent) => intent.metadata['topUpId'] === topUpId);
      expect(intents.map((intent) => intent.id)).toEqual([paymentIntentId]);
      const created = stack.sandbox.stripe.events({ type: 'payment_intent.created' }).filter((event) => (event.data.object as { metadata: Record<string, string> }).metadata['topUpId'] === topUpId);
      expect(created).toHaveLength(1);
      expect(created[0].request).toMatchObject({ idempotency_key: `topup:${topUpId}` });

      stack.sandbox.stripe.succeedPaymentIntent(paymentIntentId);
      await eventually(async () => ((await balanceOf(stack, advertiser)).availableMinor === 35_000 ? true : undefined), 10_000, 'the credit');
      await stack.sandbox.stripe.redeliverEvent(eventOf(stack, 'payment_intent.succeeded', paymentIntentId).id);
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(35_000);
      expect(await journalCount(stack, `top-up:${topUpId}`)).toBe(1);
      expect(await topUpStatus(stack, topUpId)).toBe('succeeded');
    });
  });

  describe('refunds and disputes', () => {
    it('refunds unused balance to the cards it came from, oldest payment first, one ledger entry per refund', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const first = await paidTopUp(stack, advertiser, 30_000);
      const second = await paidTopUp(stack, advertiser, 20_000);

      const response = await advertiserApi(stack).post('/v1/balance/refunds').set(advertiser.auth).send({ currency: 'USD', amountMinor: 40_000 });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.totalMinor).toBe(40_000);
      expect(response.body.refunds.map((refund: { topUpId: string; amountMinor: number }) => [refund.topUpId, refund.amountMinor])).toEqual([
        [first.topUpId, 30_000],
        [second.topUpId, 10_000],
      ]);
      // the money left the available balance at once: it cannot be booked meanwhile
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(10_000);

      const ids: string[] = response.body.refunds.map((refund: { id: string }) => refund.id);
      await eventually(async () => {
        const list = await advertiserApi(stack).get('/v1/balance/refunds').set(advertiser.auth);
        return list.body.items.filter((refund: { status: string }) => refund.status === 'succeeded').length === 2 ? true : undefined;
      }, 15_000, 'both refunds to succeed');
      const charges = stack.sandbox.stripe.snapshot().charges;
      expect(charges.find((charge) => charge.payment_intent === first.paymentIntentId)?.amount_refunded).toBe(30_000);
      expect(charges.find((charge) => charge.payment_intent === second.paymentIntentId)?.amount_refunded).toBe(10_000);
      const refundEvents = stack.sandbox.stripe.events({ type: 'refund.created' }).filter((event) => ids.includes((event.data.object as { metadata: Record<string, string> }).metadata['refundId']));
      expect(refundEvents.map((event) => event.request.idempotency_key).sort()).toEqual(ids.map((id) => `refund:${id}`).sort());
      for (const id of ids) {
        const entries = await stack.db.query(`SELECT count(*)::int AS n FROM journal_entries WHERE reference = $1`, [`refund:${id}`]);
        expect(entries[0].n).toBe(1);
      }

      const rest = await advertiserApi(stack).post('/v1/balance/refunds').set(advertiser.auth).send({ currency: 'USD' });
      expect(rest.status, JSON.stringify(rest.body)).toBe(201);
      expect(rest.body.refunds).toEqual([expect.objectContaining({ topUpId: second.topUpId, amountMinor: 10_000 })]);
      const nothing = await advertiserApi(stack).post('/v1/balance/refunds').set(advertiser.auth).send({ currency: 'USD' });
      expect(nothing.status).toBe(409);
      expect(nothing.body.error.code).toBe('nothing_to_refund');
      await eventually(async () => {
        const list = await advertiserApi(stack).get('/v1/balance/refunds').set(advertiser.auth);
        return list.body.items.every((refund: { status: string }) => refund.status === 'succeeded') ? true : undefined;
      }, 15_000, 'the last refund');
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(0);
    });

    it('finishes a refund whose attempts all ended with an unknown outcome: the sweep re-queues it under the same key, one Stripe refund', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const { paymentIntentId } = await paidTopUp(stack, advertiser, 12_000);
      const stripe = stack.sandbox.stripe;
      stripe.holdWebhooks(); // no refund.created: only the API answer could tell the worker
      stripe.injectFault({ path: '/v1/refunds', method: 'POST', count: 10_000, mode: 'error', when: 'after' });
      const response = await advertiserApi(stack).post('/v1/balance/refunds').set(advertiser.auth).send({ currency: 'USD' });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const refundId = response.body.refunds[0].id as string;

      const queue = stack.worker!.context.get(QueueProducer).queue('payments');
      await eventually(async () => {
        const job = await queue.getJob(jobIdFor('refund', { refundId }));
        if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
        const [row] = await stack.db.query(`SELECT updated_at > created_at AS requeued FROM refunds WHERE id = $1`, [refundId]);
        return row.requeued ? true : undefined;
      }, 50_000, 'the refund job to use up its attempts and the sweep to queue it again');
      const [pending] = await stack.db.query(`SELECT status, provider_ref FROM refunds WHERE id = $1`, [refundId]);
      expect(pending).toEqual({ status: 'pending', provider_ref: null });

      stripe.faults.clear();
      await eventually(async () => {
        const [row] = await stack.db.query(`SELECT status FROM refunds WHERE id = $1`, [refundId]);
        return row.status === 'pending' ? undefined : row.status;
      }, 15_000, 'the refund to settle');
      const refunds = stripe.snapshot().refunds.filter((refund) => refund.metadata['refundId'] === refundId);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount: 12_000, payment_intent: paymentIntentId, status: 'succeeded' });
      const [settled] = await stack.db.query(`SELECT status, provider_ref FROM refunds WHERE id = $1`, [refundId]);
      expect(settled).toEqual({ status: 'succeeded', provider_ref: refunds[0].id });
      expect(await journalCount(stack, `refund:${refundId}`)).toBe(1);
      expect(await journalCount(stack, `refund:${refundId}:failed`)).toBe(0);

      await stripe.releaseWebhooks();
      await stripe.webhooksIdle();
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(0);
    });

    it('undoes a refund that fails after it succeeded (the card was closed): the money is available again once, refundable again, reconciliation clean', async () => {
      const testStartedAt = new Date(Date.now() - 1_000);
      const advertiser = await signUp(stack, 'advertiser');
      const stripe = stack.sandbox.stripe;
      const { topUpId } = await paidTopUp(stack, advertiser, 25_000);
      const response = await advertiserApi(stack).post('/v1/balance/refunds').set(advertiser.auth).send({ currency: 'USD', amountMinor: 10_000 });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const refundId = response.body.refunds[0].id as string;
      const succeeded: { provider_ref: string } = await eventually(async () => {
        const [row] = await stack.db.query(`SELECT status, provider_ref FROM refunds WHERE id = $1`, [refundId]);
        return row.status === 'succeeded' ? row : undefined;
      }, 15_000, 'the refund to succeed');
      await stripe.webhooksIdle();
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(15_000);

      // days later the issuer sends it back: Stripe's refund turns failed and the money returns to the platform's balance
      const failed = await request(stack.sandbox.url).post(`/control/stripe/refunds/${succeeded.provider_ref}/fail`).send({ reason: 'expired_or_canceled_card' });
      expect(failed.status, JSON.stringify(failed.body)).toBe(200);
      expect(failed.body).toMatchObject({ id: succeeded.provider_ref, status: 'failed', failure_reason: 'expired_or_canceled_card', failure_balance_transaction: expect.stringMatching(/^txn_/) });
      await eventually(async () => ((await balanceOf(stack, advertiser)).availableMinor === 25_000 ? true : undefined), 10_000, 'the failed refund to come back');
      await stripe.webhooksIdle();
      const [row] = await stack.db.query(`SELECT status, failure_reason FROM refunds WHERE id = $1`, [refundId]);
      expect(row).toEqual({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
      const [payment] = await stack.db.query(`SELECT refunded_minor FROM top_up_payments WHERE top_up_id = $1`, [topUpId]);
      expect(Number(payment.refunded_minor)).toBe(0);
      expect(await journalCount(stack, `refund:${refundId}`)).toBe(1);
      expect(await journalCount(stack, `refund:${refundId}:failed`)).toBe(1);

      // refund.updated and refund.failed both say so, and each is delivered again: nothing moves; nor does
      // the refund's old charge.refunded (amount_refunded 10 000), which must not pass for a refund made outside Placard
      for (const type of ['refund.failed', 'refund.updated', 'refund.failed']) await stripe.redeliverEvent(eventOf(stack, type, succeeded.provider_ref).id);
      await stripe.redeliverEvent(eventOf(stack, 'charge.refunded', failed.body.charge).id);
      await stripe.webhooksIdle();
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 25_000, frozenMinor: 0 });
      expect(await journalCount(stack, `refund:${refundId}:failed`)).toBe(1);
      const links: { source_id: string; journal_reference: string; amount_minor: string }[] = await stack.db.query(
        `SELECT source_id, journal_reference, amount_minor FROM stripe_ledger_links WHERE journal_reference LIKE $1 ORDER BY source_id`,
        [`refund:${refundId}%`],
      );
      expect(links.map((link) => [link.source_id, link.journal_reference, Number(link.amount_minor)])).toEqual([
        [succeeded.provider_ref, `refund:${refundId}`, -10_000],
        [`${succeeded.provider_ref}:failed`, `refund:${refundId}:failed`, 10_000],
      ]);
      const { differences } = await stack.channelApi.get(ReconciliationService).compare(testStartedAt, new Date(Date.now() + 60_000));
      expect(differences).toEqual([]);

      // the payment can be refunded again, in full
      const again = await advertiserApi(stack).post('/v1/balance/refunds').set(advertiser.auth).send({ currency: 'USD' });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.refunds).toEqual([expect.objectContaining({ topUpId, amountMinor: 25_000 })]);
      await eventually(async () => {
        const [next] = await stack.db.query(`SELECT status FROM refunds WHERE id = $1`, [again.body.refunds[0].id]);
        return next.status === 'succeeded' ? true : undefined;
      }, 15_000, 'the second refund');
      expect((await balanceOf(stack, advertiser)).availableMinor).toBe(0);
    });

    it('freezes the disputed amount and shows it in the balance', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const { paymentIntentId } = await paidTopUp(stack, advertiser, 20_000);
      const dispute = stack.sandbox.stripe.disputeCharge(paymentIntentId, { amount: 15_000 });
      await eventually(async () => ((await balanceOf(stack, advertiser)).frozenMinor === 15_000 ? true : undefined), 10_000, 'the freeze');
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 5_000, frozenMinor: 15_000 });
      const event = stack.sandbox.stripe.events({ type: 'charge.dispute.created' }).find((candidate) => (candidate.data.object as { id: string }).id === dispute.id)!;
      await stack.sandbox.stripe.redeliverEvent(event.id);
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 5_000, frozenMinor: 15_000 });
    });

    it('gives the frozen amount back when the dispute is won (charge.dispute.closed, status won); duplicates change nothing', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const { paymentIntentId } = await paidTopUp(stack, advertiser, 20_000);
      const dispute = stack.sandbox.stripe.disputeCharge(paymentIntentId, { amount: 15_000, reason: 'product_not_received' });
      await eventually(async () => ((await balanceOf(stack, advertiser)).frozenMinor === 15_000 ? true : undefined), 10_000, 'the freeze');

      // the sandbox's control route, as a script in another process would call it
      const closed = await request(stack.sandbox.url).post(`/control/stripe/disputes/${dispute.id}/close`).send({ status: 'won' });
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect(closed.body).toMatchObject({ id: dispute.id, object: 'dispute', status: 'won' });
      expect(closed.body.balance_transactions.map((transaction: { amount: number; reporting_category: string }) => [transaction.amount, transaction.reporting_category])).toEqual([
        [-15_000, 'dispute'],
        [15_000, 'dispute_reversal'],
      ]);
      await eventually(async () => ((await balanceOf(stack, advertiser)).frozenMinor === 0 ? true : undefined), 10_000, 'the release');
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 20_000, frozenMinor: 0 });
      expect(await journalCount(stack, `dispute:${dispute.id}:released`)).toBe(1);

      // the close again, the opening again (now after the close): nothing moves
      await stack.sandbox.stripe.redeliverEvent(eventOf(stack, 'charge.dispute.closed', dispute.id).id);
      await stack.sandbox.stripe.redeliverEvent(eventOf(stack, 'charge.dispute.created', dispute.id).id);
      await stack.sandbox.stripe.redeliverEvent(eventOf(stack, 'charge.dispute.closed', dispute.id).id);
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 20_000, frozenMinor: 0 });
      expect(await journalCount(stack, `dispute:${dispute.id}:freeze`)).toBe(1);
      expect(await journalCount(stack, `dispute:${dispute.id}:released`)).toBe(1);
      const again = await request(stack.sandbox.url).post(`/control/stripe/disputes/${dispute.id}/close`).send({ status: 'lost' });
      expect(again.status).toBe(409);
    });

    it('writes a lost dispute off to Stripe in one journal entry, also when the close arrives before the opening', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const { topUpId, paymentIntentId } = await paidTopUp(stack, advertiser, 20_000);
      const stripe = stack.sandbox.stripe;
      stripe.holdWebhooks();
      const dispute = stripe.disputeCharge(paymentIntentId, { amount: 15_000 });
      stripe.closeDispute(dispute.id, 'lost');
      expect(stripe.webhooks.heldEventIds()).toEqual([eventOf(stack, 'charge.dispute.created', dispute.id).id, eventOf(stack, 'charge.dispute.closed', dispute.id).id]);
      await stripe.releaseWebhooks('reverse'); // closed first, then created
      await stripe.webhooksIdle();

      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 5_000, frozenMinor: 0 });
      const entries: { reference: string; account_code: string; amount_minor: string }[] = await stack.db.query(
        `SELECT e.reference, l.account_code, l.amount_minor FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
          WHERE e.reference LIKE $1 ORDER BY e.reference, l.amount_minor`,
        [`dispute:${dispute.id}:%`],
      );
      expect(entries.map((line) => [line.reference, line.account_code.split(':')[0], Number(line.amount_minor)])).toEqual([
        [`dispute:${dispute.id}:freeze`, 'advertiser_available', -15_000],
        [`dispute:${dispute.id}:freeze`, 'advertiser_frozen', 15_000],
        [`dispute:${dispute.id}:lost`, 'advertiser_frozen', -15_000],
        [`dispute:${dispute.id}:lost`, 'external', 15_000],
      ]);
      // the charged-back payment can no longer be refunded
      const [payment] = await stack.db.query(`SELECT refunded_minor FROM top_up_payments WHERE top_up_id = $1`, [topUpId]);
      expect(Number(payment.refunded_minor)).toBe(15_000);

      for (const type of ['charge.dispute.closed', 'charge.dispute.created', 'charge.dispute.closed']) await stripe.redeliverEvent(eventOf(stack, type, dispute.id).id);
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 5_000, frozenMinor: 0 });
      expect(await journalCount(stack, `dispute:${dispute.id}:freeze`)).toBe(1);
      expect(await journalCount(stack, `dispute:${dispute.id}:lost`)).toBe(1);
      const processed = await stack.db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE id = $1`, [eventOf(stack, 'charge.dispute.closed', dispute.id).id]);
      expect(processed[0].n).toBe(1);
    });

    it('releases an inquiry closed as warning_closed; Stripe took nothing, so reconciliation expects nothing', async () => {
      const advertiser = await signUp(stack, 'advertiser');
      const { paymentIntentId } = await paidTopUp(stack, advertiser, 10_000);
      const inquiry = await request(stack.sandbox.url).post(`/control/stripe/charges/${paymentIntentId}/dispute/inquiry`).send({});
      expect(inquiry.body).toMatchObject({ status: 'warning_needs_response', balance_transactions: [] });
      await eventually(async () => ((await balanceOf(stack, advertiser)).frozenMinor === 10_000 ? true : undefined), 10_000, 'the freeze');
      expect((await request(stack.sandbox.url).post(`/control/stripe/disputes/${inquiry.body.id}/close`).send({ status: 'won' })).status).toBe(409);
      await request(stack.sandbox.url).post(`/control/stripe/disputes/${inquiry.body.id}/close`).send({ status: 'warning_closed' }).expect(200);
      await eventually(async () => ((await balanceOf(stack, advertiser)).frozenMinor === 0 ? true : undefined), 10_000, 'the release');
      expect(await balanceOf(stack, advertiser)).toMatchObject({ availableMinor: 10_000, frozenMinor: 0 });
      const [link] = await stack.db.query(`SELECT amount_minor FROM stripe_ledger_links WHERE source_id = $1`, [inquiry.body.id]);
      expect(Number(link.amount_minor)).toBe(0);
    });
  });

  describe('owner payouts through Connect', () => {
    let owner: Party;
    let accountRef: string;

    it('onboards an Express account whose status follows account.updated', async () => {
      owner = await signUp(stack, 'owner');
      const created = await channelApi(stack).post('/v1/payouts/account').set(owner.auth).send({});
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body).toMatchObject({ status: 'onboarding', providerRef: expect.stringMatching(/^acct_/), onboardingUrl: expect.stringMatching(/^http/) });
      accountRef = created.body.providerRef;
      const again = await channelApi(stack).post('/v1/payouts/account').set(owner.auth).send({});
      expect(again.body.providerRef).toBe(accountRef);

      const early = await channelApi(stack).post('/v1/payouts').set(owner.auth).send({ currency: 'USD' });
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('payout_account_missing');

      stack.sandbox.stripe.completeOnboarding(accountRef);
      await eventually(async () => {
        const account = await channelApi(stack).post('/v1/payouts/account').set(owner.auth).send({});
        return account.body.status === 'active' ? account.body : undefined;
      }, 10_000, 'the account to be active');
    });

    it('pays out earnings of a real deal as a transfer: earnings → in transit → Stripe', async () => {
      const advertiser = await signUp(stack, 'advertiser', 'Acme Wallet');
      await paidTopUp(stack, advertiser, 100_000);
      const channel = await onboardChannel(stack, owner, { priceMinor: 25_000 });
      const { creativeId } = await campaignWithCreative(stack, advertiser);
      const booked = await book(stack, advertiser, channel.id, creativeId, 2000);
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      const accepted = await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      const completed = await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed', 'needs_review'], 40_000);
      expect(completed.status).toBe('completed');
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 22_500 });

      const payout = await channelApi(stack).post('/v1/payouts').set(owner.auth).send({ currency: 'USD' });
      expect(payout.status, JSON.stringify(payout.body)).toBe(201);
      expect(payout.body).toMatchObject({ status: 'pending', amountMinor: 22_500, currency: 'USD' });
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 0, inTransitMinor: 22_500 });
      const paid = await waitForPayout(stack, owner, payout.body.id, ['paid', 'failed']);
      expect(paid).toMatchObject({ status: 'paid', transferId: expect.stringMatching(/^tr_/) });
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 0, inTransitMinor: 0 });
      const transfer = stack.sandbox.stripe.snapshot().transfers.find((candidate) => candidate.id === paid.transferId)!;
      expect(transfer).toMatchObject({ amount: 22_500, currency: 'usd', destination: accountRef, metadata: { payoutId: payout.body.id } });

      const below = await channelApi(stack).post('/v1/payouts').set(owner.auth).send({ currency: 'USD' });
      expect(below.status).toBe(409);
      expect(below.body.error.code).toBe('payout_below_minimum');
    });

    it('returns the earnings when the transfer is reversed', async () => {
      const [payout] = await payoutsOf(stack, owner);
      const stripeClient = new Stripe(STRIPE_TEST_SECRET_KEY, { host: '127.0.0.1', port: new URL(stack.sandbox.url).port, protocol: 'http' });
      await stripeClient.transfers.createReversal(payout.transferId!, { amount: 2_500 });
      await eventually(async () => ((await earningsOf(stack, owner)).availableMinor === 2_500 ? true : undefined), 10_000, 'the partial reversal');
      await stripeClient.transfers.createReversal(payout.transferId!);
      const reversed = await waitForPayout(stack, owner, payout.id, ['reversed']);
      expect(reversed.reversedMinor).toBe(22_500);
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 22_500, inTransitMinor: 0 });
      // the events again, in reverse order: nothing moves twice
      for (const event of stack.sandbox.stripe.events({ type: 'transfer.reversed' }).reverse()) await stack.sandbox.stripe.redeliverEvent(event.id);
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 22_500 });
    });

    it('gives a refused transfer back to earnings; the next attempt is a new payout with a new idempotency key', async () => {
      stack.sandbox.stripe.failNextTransfers(1, { code: 'balance_insufficient', message: 'You have insufficient available funds in your Stripe account.' });
      const refused = await channelApi(stack).post('/v1/payouts').set(owner.auth).send({ currency: 'USD' });
      expect(refused.status, JSON.stringify(refused.body)).toBe(201);
      const failed = await waitForPayout(stack, owner, refused.body.id, ['failed', 'paid']);
      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toContain('balance_insufficient');
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 22_500, inTransitMinor: 0 });

      const retry = await channelApi(stack).post('/v1/payouts').set(owner.auth).send({ currency: 'USD' });
      expect(retry.status).toBe(201);
      expect(retry.body.id).not.toBe(refused.body.id);
      await waitForPayout(stack, owner, retry.body.id, ['paid']);
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 0, inTransitMinor: 0 });
      const keys = stack.sandbox.stripe.events({ type: 'transfer.created' }).map((event) => event.request.idempotency_key);
      expect(keys).toContain(`payout:${retry.body.id}`);
      expect((await payoutsOf(stack, owner)).map((payout) => payout.status)).toEqual(['paid', 'failed', 'reversed']);
    });

    it('finishes a payout whose transfer attempts all ended with an unknown outcome: the sweep re-queues it under the same key, one transfer', async () => {
      const advertiser = await signUp(stack, 'advertiser', 'Acme Wallet');
      await paidTopUp(stack, advertiser, 30_000);
      const channel = await onboardChannel(stack, owner, { priceMinor: 25_000 });
      const { creativeId } = await campaignWithCreative(stack, advertiser);
      const booked = await book(stack, advertiser, channel.id, creativeId, 2000);
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      expect((await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth)).status).toBe(200);
      expect((await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed', 'needs_review'], 40_000)).status).toBe('completed');

      const stripe = stack.sandbox.stripe;
      stripe.holdWebhooks(); // no transfer.created: only the API answer could tell the worker
      // Stripe makes the transfer, then every answer is lost (a 500 after the write), for every retry
      stripe.injectFault({ path: '/v1/transfers', method: 'POST', count: 10_000, mode: 'error', when: 'after' });
      const requested = await channelApi(stack).post('/v1/payouts').set(owner.auth).send({ currency: 'USD' });
      expect(requested.status, JSON.stringify(requested.body)).toBe(201);
      const payoutId = requested.body.id as string;

      // let the job use up its attempts without waiting out its backoff, until the sweep has queued it again
      const failedAttempts = async (): Promise<number> => {
        const metrics = await request(stack.worker!.url).get('/metrics');
        return Number(/jobs_failed_total\{[^}]*job="payout"[^}]*\} (\d+)/.exec(metrics.text)?.[1] ?? 0);
      };
      const failedBefore = await failedAttempts();
      const queue = stack.worker!.context.get(QueueProducer).queue('payments');
      const jobId = jobIdFor('payout', { payoutId });
      await eventually(async () => {
        const job = await queue.getJob(jobId);
        if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
        // the sweep moves updated_at on when it re-queues, and it only re-queues a job that gave up
        const [row] = await stack.db.query(`SELECT updated_at > created_at AS requeued FROM payouts WHERE id = $1`, [payoutId]);
        return row.requeued ? true : undefined;
      }, 50_000, 'the payout job to use up its attempts and the sweep to queue it again');
      expect((await failedAttempts()) - failedBefore).toBeGreaterThanOrEqual(8); // DEFAULT_JOB_OPTIONS.attempts
      expect((await payoutsOf(stack, owner)).find((payout) => payout.id === payoutId)).toMatchObject({ status: 'pending', transferId: null });
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 0, inTransitMinor: 22_500 });

      stripe.faults.clear(); // Stripe answers again
      const paid = await waitForPayout(stack, owner, payoutId, ['paid', 'failed']);
      expect(paid).toMatchObject({ status: 'paid', transferId: expect.stringMatching(/^tr_/) });
      const transfers = stripe.snapshot().transfers.filter((transfer) => transfer.metadata['payoutId'] === payoutId);
      expect(transfers.map((transfer) => transfer.id)).toEqual([paid.transferId]);
      expect(transfers[0].amount).toBe(22_500);
      const created = stripe.events({ type: 'transfer.created' }).filter((event) => (event.data.object as { metadata: Record<string, string> }).metadata['payoutId'] === payoutId);
      expect(created.map((event) => event.request.idempotency_key)).toEqual([`payout:${payoutId}`]);
      expect(await journalCount(stack, `payout:${payoutId}:paid`)).toBe(1);

      await stripe.releaseWebhooks();
      await stripe.webhooksIdle();
      expect(await earningsOf(stack, owner)).toMatchObject({ availableMinor: 0, inTransitMinor: 0 });
      expect((await payoutsOf(stack, owner)).find((payout) => payout.id === payoutId)?.status).toBe('paid');
    });
  });

  describe('reconciliation', () => {
    let operatorAuth: { Authorization: string };

    beforeAll(async () => {
      const { apiKey } = await stack.channelApi.get(AccountsService).createAccount('operator', 'ops@example.com', 'Operations');
      operatorAuth = { Authorization: `Bearer ${apiKey}` };
    });

    async function reconcile(): Promise<{ status: string; differences: { kind: string; sourceId: string | null; ledgerMinor: number | null; stripeMinor: number | null }[]; ledgerCount: number; stripeCount: number }> {
      const queued = await channelApi(stack)
        .post('/v1/admin/reconciliation')
        .set(operatorAuth)
        .send({ from: new Date(startedAt.getTime() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      return eventually(async () => {
        const report = await channelApi(stack).get(`/v1/admin/reconciliation/${queued.body.id}`).set(operatorAuth);
        return report.body.status === 'queued' ? undefined : report.body;
      }, 15_000, 'the reconciliation report');
    }

    it('takes operator keys only', async () => {
      const owner = await signUp(stack, 'owner');
      expect((await channelApi(stack).get('/v1/admin/reconciliation')).status).toBe(401);
      expect((await channelApi(stack).get('/v1/admin/reconciliation').set(owner.auth)).status).toBe(401);
      expect((await channelApi(stack).get('/v1/admin/reconciliation').set(operatorAuth)).status).toBe(200);
    });

    it('is clean after all of the above, and reports an injected extra, missing and mismatched movement', async () => {
      const clean = await reconcile();
      expect(clean.differences).toEqual([]);
      expect(clean.status).toBe('clean');
      expect(clean.stripeCount).toBeGreaterThan(5);
      expect(clean.ledgerCount).toBe(clean.stripeCount);

      stack.sandbox.stripe.addBalance(777, 'usd'); // money at Stripe the ledger knows nothing of
      const [charge] = await stack.db.query(`SELECT source_id FROM stripe_ledger_links WHERE kind = 'charge' ORDER BY occurred_at LIMIT 1`);
      await stack.db.query(`UPDATE stripe_ledger_links SET amount_minor = amount_minor + 1 WHERE source_id = $1`, [charge.source_id]);
      await stack.db.query(
        `INSERT INTO stripe_ledger_links (source_id, kind, journal_reference, amount_minor, currency, occurred_at) VALUES ('tr_not_at_stripe', 'transfer', 'payout:none:paid', -5000, 'USD', now())`,
      );

      const dirty = await reconcile();
      expect(dirty.status).toBe('differences');
      expect(dirty.differences).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'extra', sourceId: null, stripeMinor: 777, ledgerMinor: null }),
          expect.objectContaining({ kind: 'amount_mismatch', sourceId: charge.source_id }),
          expect.objectContaining({ kind: 'missing', sourceId: 'tr_not_at_stripe', ledgerMinor: -5000, stripeMinor: null }),
        ]),
      );
      expect(dirty.differences).toHaveLength(3);

      const latest = await channelApi(stack).get('/v1/admin/reconciliation').set(operatorAuth);
      expect(latest.body.latest.status).toBe('differences');
      const metrics = await request(stack.worker!.url).get('/metrics');
      expect(metrics.text).toMatch(/stripe_reconciliation_differences\{kind="missing"[^}]*\} 1/);
      expect(metrics.text).toMatch(/stripe_reconciliation_differences\{kind="extra"[^}]*\} 1/);
      await stack.db.query(`DELETE FROM stripe_ledger_links WHERE source_id = 'tr_not_at_stripe'`);
      await stack.db.query(`UPDATE stripe_ledger_links SET amount_minor = amount_minor - 1 WHERE source_id = $1`, [charge.source_id]);
    });
  });
});
