import Stripe from 'stripe';
import type {
  PaymentsProvider, PayoutRequest, PayoutResult, RefundRequest, RefundResult, TopUpRequest, TopUpResult,
} from '../payments-provider';
import { StripeProviderError, toProviderError } from './errors';

export interface StripePaymentsProviderOptions {
  secretKey: string;
  /** another server that speaks Stripe's API, e.g. `http://127.0.0.1:4242` (the sandbox); Stripe itself when omitted */
  apiBase?: string;
  /** per request; the SDK's default is 80 s */
  timeoutMs?: number;
  /** the SDK's own retries (network errors, timeouts, 409, 5xx), which reuse the request's idempotency key */
  maxNetworkRetries?: number;
  /** pin the API version; the SDK's when omitted */
  apiVersion?: string;
  /** top-ups through a hosted Checkout Session (a `checkoutUrl` to send the payer to) instead of a bare PaymentIntent */
  checkout?: { successUrl: string; cancelUrl?: string; productName?: string };
}

export interface ReversePayoutRequest {
  reversalId: string;
  /** the transfer id returned as the payout's providerRef */
  providerRef: string;
  /** the whole remaining amount when omitted */
  amountMinor?: number;
}

/** One movement on the platform's Stripe balance, for reconciliation against the ledger. */
export interface StripeBalanceTransaction {
  id: string;
  type: string;
  reportingCategory: string;
  /** gross, in minor units; negative for money leaving the balance */
  amountMinor: number;
  feeMinor: number;
  netMinor: number;
  currency: string;
  /** the charge, refund, transfer, reversal or dispute id behind it */
  sourceId: string | null;
  status: string;
  createdAt: Date;
  availableOn: Date;
  description: string | null;
}

/**
 * Stripe as Placard's payments provider: PaymentIntents (or Checkout) for top-ups, confirmed later by
 * signed webhooks; Connect Express accounts and transfers for payouts; refunds. Every write carries an
 * idempotency key derived from our own id, so a retried call (by the SDK or by a re-run job) moves
 * money once.
 */
export class StripePaymentsProvider implements PaymentsProvider {
  readonly name = 'stripe' as const;
  readonly client: Stripe;
  private readonly checkout: StripePaymentsProviderOptions['checkout'];

  constructor(options: StripePaymentsProviderOptions) {
    if (!options.secretKey) throw new Error('StripePaymentsProvider needs a secret key');
    this.checkout = options.checkout;
    const config: Stripe.StripeConfig = {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 30_000,
      telemetry: false,
      appInfo: { name: 'Placard' },
      ...(options.apiVersion ? { apiVersion: options.apiVersion as Stripe.StripeConfig['apiVersion'] } : {}),
      ...(options.apiBase ? apiBaseConfig(options.apiBase) : {}),
    };
    this.client = new Stripe(options.secretKey, config);
  }

  async createTopUp(request: TopUpRequest): Promise<TopUpResult> {
    const currency = request.currency.toLowerCase();
    const metadata = { topUpId: request.topUpId, accountId: request.accountId };
    try {
      if (this.checkout) {
        const session = await this.client.checkout.sessions.create({
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency, unit_amount: request.amountMinor, product_data: { name: this.checkout.productName ?? 'Placard balance top-up' } } }],
          success_url: this.checkout.successUrl,
          ...(this.checkout.cancelUrl ? { cancel_url: this.checkout.cancelUrl } : {}),
          client_reference_id: request.topUpId,
          metadata,
          // The PaymentIntent Checkout creates carries our ids too, so `payment_intent.succeeded` can be matched.
          payment_intent_data: { metadata },
        }, { idempotencyKey: `topup:${request.topUpId}:checkout` });
        return {
          status: session.payment_status === 'paid' ? 'succeeded' : session.status === 'expired' ? 'failed' : 'pending',
          providerRef: session.id,
          clientSecret: null,
          checkoutUrl: session.url,
        };
      }
      const intent = await this.client.paymentIntents.create({
        amount: request.amountMinor,
        currency,
        metadata,
        automatic_payment_methods: { enabled: true },
      }, { idempotencyKey: `topup:${request.topUpId}` });
      return { status: topUpStatus(intent.status), providerRef: intent.id, clientSecret: intent.client_secret, checkoutUrl: null };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        return { status: 'failed', providerRef: error.payment_intent?.id ?? null, clientSecret: null, checkoutUrl: null };
      }
      throw toProviderError(error);
    }
  }

  /** Where a top-up stands now (for polling or reconciliation; webhooks are the normal path). */
  async retrieveTopUp(providerRef: string): Promise<TopUpResult> {
    try {
      if (providerRef.startsWith('cs_')) {
        const session = await this.client.checkout.sessions.retrieve(providerRef);
        return { status: session.payment_status === 'paid' ? 'succeeded' : session.status === 'expired' ? 'failed' : 'pending', providerRef: session.id, checkoutUrl: session.url };
      }
      const intent = await this.client.paymentIntents.retrieve(providerRef);
      return { status: topUpStatus(intent.status), providerRef: intent.id, clientSecret: intent.client_secret };
    } catch (error) {
      throw toProviderError(error);
    }
  }

  /**
   * Refunds part or all of a top-up. `providerRef` is the top-up's PaymentIntent (`pi_…`), Checkout
   * Session (`cs_…`) or charge (`ch_…`).
   * @throws StripeProviderError, e.g. `amount_too_large` or `charge_already_refunded` (not retryable)
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    try {
      const target = await this.refundTarget(request.providerRef);
      const refund = await this.client.refunds.create({
        ...target,
        amount: request.amountMinor,
        metadata: { refundId: request.refundId },
      }, { idempotencyKey: `refund:${request.refundId}` });
      return { status: refundStatus(refund.status), providerRef: refund.id };
    } catch (error) {
      throw error instanceof StripeProviderError ? error : toProviderError(error);
    }
  }

  async createConnectedAccount(input: { ownerId: string; email: string }): Promise<{ accountRef: string }> {
    try {
      const account = await this.client.accounts.create({
        type: 'express',
        email: input.email,
        capabilities: { transfers: { requested: true } },
        metadata: { ownerId: input.ownerId },
      }, { idempotencyKey: `account:${input.ownerId}` });
      return { accountRef: account.id };
    } catch (error) {
      throw toProviderError(error);
    }
  }

  async createOnboardingLink(input: { accountRef: string; returnUrl: string; refreshUrl: string }): Promise<{ url: string }> {
    try {
      const link = await this.client.accountLinks.create({
        account: input.accountRef,
        type: 'account_onboarding',
        return_url: input.returnUrl,
        refresh_url: input.refreshUrl,
      });
      return { url: link.url };
    } catch (error) {
      throw toProviderError(error);
    }
  }

  /** Whether a connected account can receive payouts (after onboarding; `account.updated` tells when). */
  async connectedAccountStatus(accountRef: string): Promise<{ payoutsEnabled: boolean; chargesEnabled: boolean; detailsSubmitted: boolean; transfersActive: boolean }> {
    try {
      const account = await this.client.accounts.retrieve(accountRef);
      return {
        payoutsEnabled: account.payouts_enabled,
        chargesEnabled: account.charges_enabled,
        detailsSubmitted: account.details_submitted,
        transfersActive: account.capabilities?.transfers === 'active',
      };
    } catch (error) {
      throw toProviderError(error);
    }
  }

  /**
   * Pays an owner by a transfer to their connected account. Stripe answers at once: `paid`, or `failed`
   * with Stripe's code and message when it refuses (platform balance insufficient, account not
   * onboarded…). Stripe keeps that refusal under the idempotency key for 24 h, so a new attempt needs a
   * new `payoutId`.
   * @throws StripeProviderError when the outcome is unknown (network, 5xx after retries): retry with the same payoutId
   */
  async payout(request: PayoutRequest): Promise<PayoutResult> {
    try {
      const transfer = await this.client.transfers.create({
        amount: request.amountMinor,
        currency: request.currency.toLowerCase(),
        destination: request.destination,
        transfer_group: `payout:${request.payoutId}`,
        metadata: { payoutId: request.payoutId },
      }, { idempotencyKey: `payout:${request.payoutId}` });
      return { status: 'paid', providerRef: transfer.id };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
        return { status: 'failed', providerRef: null, failureReason: `${error.code ?? 'invalid_request'}: ${error.message}` };
      }
      throw toProviderError(error);
    }
  }

  /** Takes a payout (or part of it) back from the connected account. */
  async reversePayout(request: ReversePayoutRequest): Promise<{ providerRef: string; amountMinor: number }> {
    try {
      const reversal = await this.client.transfers.createReversal(request.providerRef, {
        ...(request.amountMinor !== undefined ? { amount: request.amountMinor } : {}),
        metadata: { reversalId: request.reversalId },
      }, { idempotencyKey: `payout-reversal:${request.reversalId}` });
      return { providerRef: reversal.id, amountMinor: reversal.amount };
    } catch (error) {
      throw toProviderError(error);
    }
  }

  /**
   * Every balance transaction created in [from, to), newest first, across all pages. Bounds are
   * truncated to whole seconds (Stripe's `created` precision), so consecutive windows neither overlap
   * nor leave gaps.
   */
  async *listBalanceTransactions(from: Date, to: Date, options: { pageSize?: number } = {}): AsyncGenerator<StripeBalanceTransaction> {
    const list = this.client.balanceTransactions.list({
      created: { gte: Math.floor(from.getTime() / 1000), lt: Math.floor(to.getTime() / 1000) },
      limit: options.pageSize ?? 100,
    });
    try {
      for await (const transaction of list) yield toBalanceTransaction(transaction);
    } catch (error) {
      throw toProviderError(error);
    }
  }

  private async refundTarget(providerRef: string): Promise<{ payment_intent: string } | { charge: string }> {
    if (providerRef.startsWith('ch_') || providerRef.startsWith('py_')) return { charge: providerRef };
    if (!providerRef.startsWith('cs_')) return { payment_intent: providerRef };
    const session = await this.client.checkout.sessions.retrieve(providerRef);
    const intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
    if (!intent) throw new StripeProviderError('not_paid', `Checkout Session ${providerRef} has no payment to refund`, false);
    return { payment_intent: intent };
  }
}

function apiBaseConfig(apiBase: string): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error('STRIPE_API_BASE is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('STRIPE_API_BASE must be http or https');
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? '80' : '443'), protocol };
}

function topUpStatus(status: Stripe.PaymentIntent.Status): TopUpResult['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'canceled') return 'failed';
  return 'pending';
}

function refundStatus(status: string | null): RefundResult['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}

function toBalanceTransaction(transaction: Stripe.BalanceTransaction): StripeBalanceTransaction {
  return {
    id: transaction.id,
    type: transaction.type,
    reportingCategory: transaction.reporting_category,
    amountMinor: transaction.amount,
    feeMinor: transaction.fee,
    netMinor: transaction.net,
    currency: transaction.currency,
    sourceId: typeof transaction.source === 'string' ? transaction.source : transaction.source?.id ?? null,
    status: transaction.status,
    createdAt: new Date(transaction.created * 1000),
    availableOn: new Date(transaction.available_on * 1000),
    description: transaction.description,
  };
}
