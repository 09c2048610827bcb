import type { FastifyInstance } from 'fastify';
import { registerStripeApi } from './http-api';
import { registerStripeControl } from './http-control';
import { newId } from './ids';
import { IdempotencyStore } from './idempotency';
import { FaultInjector, FaultRule, ActiveFault } from './faults';
import { paginate, StripeList } from './lists';
import {
  AccountLinkRecord, AccountObject, BalanceTransactionObject, ChargeObject, CheckoutSessionObject, DisputeObject,
  EventObject, Metadata, PaymentIntentObject, RefundObject, TransferObject, TransferReversalObject,
} from './objects';
import {
  metadataParam, optionalArray, optionalBoolean, optionalInteger, optionalObject, optionalString, Params,
  requiredCurrency, requiredInteger, requiredString,
} from './params';
import { invalidRequest, parameterInvalid, resourceMissing, StripeApiError } from './stripe-error';
import { DEFAULT_RETRY_POLICY, DeliveryAttempt, WebhookDispatcher, WebhookEndpoint, WebhookRetryPolicy } from './webhooks';

export interface StripeSandboxOptions {
  /** where events are POSTed; none means events are only stored */
  webhookUrl?: string;
  /** the endpoint's signing secret (`whsec_…`); generated when omitted */
  webhookSecret?: string;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** `api_version` written on events */
  apiVersion?: string;
  /** accept only this secret key (any `sk_test_…`/`rk_test_…` key when omitted) */
  apiKey?: string;
  /** processing fee taken from each charge; Stripe's standard card pricing by default */
  fees?: { percentBps: number; fixedMinor: number };
  disputeFeeMinor?: number;
  /** smallest amount a PaymentIntent accepts (Stripe: 50 cents for USD; one value for all currencies here) */
  minimumChargeMinor?: number;
}

/** What a handler knows about the API request that caused it. */
export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
  /** this server's public origin, for the URLs of hosted pages */
  baseUrl: string;
  stripeAccount?: string;
}

export class ControlError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface TransferFailure {
  status?: number;
  code?: string;
  message?: string;
}

const CANCELABLE_STATUSES = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const DECLINING_TEST_PAYMENT_METHODS: Record<string, { declineCode: string; message: string }> = {
  pm_card_chargeDeclined: { declineCode: 'generic_decline', message: 'Your card was declined.' },
  pm_card_visa_chargeDeclined: { declineCode: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: { declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  pm_card_visa_chargeDeclinedInsufficientFunds: { declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  pm_card_chargeDeclinedLostCard: { declineCode: 'lost_card', message: 'Your card was declined.' },
};
/** how a dispute ends (Stripe also has `prevented`, for disputes stopped before they were filed) */
export type DisputeCloseStatus = 'won' | 'lost' | 'warning_closed';
const DISPUTE_CLOSE_STATUSES: readonly string[] = ['won', 'lost', 'warning_closed'];
/** Stripe's `failure_reason` values for a failed refund */
export type RefundFailureReason = 'expired_or_canceled_card' | 'lost_or_stolen_card' | 'unknown';
const REFUND_FAILURE_REASONS: readonly string[] = ['expired_or_canceled_card', 'lost_or_stolen_card', 'unknown'];
const DEFAULT_API_VERSION = '2026-10-28.endive';

/**
 * An in-memory Stripe account (the platform) with its connected accounts. API handlers (called by the
 * HTTP layer with decoded parameters) and control methods (called by tests, in-process or through
 * `/control/stripe/…`) change the same state and emit the same events.
 */
export class StripeSandbox {
  readonly idempotency = new IdempotencyStore();
  readonly faults = new FaultInjector();
  readonly webhooks: WebhookDispatcher;
  readonly apiVersion: string;
  readonly apiKey: string | undefined;

  private readonly fees: { percentBps: number; fixedMinor: number };
  private readonly disputeFeeMinor: number;
  private readonly minimumChargeMinor: number;
  private clockOffsetSeconds = 0;
  /** requests held open by a `hang` fault, released when the sandbox closes */
  private readonly hungRequests = new Set<() => void>();
  private transferFailures: TransferFailure[] = [];

  private paymentIntents = new Map<string, PaymentIntentObject>();
  private charges = new Map<string, ChargeObject>();
  private refunds = new Map<string, RefundObject>();
  private checkoutSessions = new Map<string, CheckoutSessionObject>();
  private accounts = new Map<string, AccountObject>();
  private accountLinks = new Map<string, AccountLinkRecord>();
  private transfers = new Map<string, TransferObject>();
  private reversals = new Map<string, TransferReversalObject>();
  private disputes = new Map<string, DisputeObject>();
  private balanceTransactions: BalanceTransactionObject[] = [];
  private eventList: EventObject[] = [];
  /** available balance per currency: the platform's, and each connected account's */
  private platformBalance = new Map<string, number>();
  private accountBalances = new Map<string, Map<string, number>>();

  constructor(options: StripeSandboxOptions = {}) {
    this.webhooks = new WebhookDispatcher({ ...DEFAULT_RETRY_POLICY, ...options.webhookRetry });
    if (options.webhookUrl) this.webhooks.setEndpoint({ url: options.webhookUrl, secret: options.webhookSecret });
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.apiKey = options.apiKey;
    this.fees = options.fees ?? { percentBps: 290, fixedMinor: 30 };
    this.disputeFeeMinor = options.disputeFeeMinor ?? 1500;
    this.minimumChargeMinor = options.minimumChargeMinor ?? 50;
  }

  /**
   * Adds the Stripe API (`/v1/…`), the control routes (`/control/stripe/…`) and the hosted checkout and
   * onboarding pages to a Fastify instance; each in its own encapsulated context with its own body parsers.
   */
  register(app: FastifyInstance): void {
    registerStripeApi(app, this, this.hungRequests);
    registerStripeControl(app, this);
  }

  /** Unix seconds on the sandbox clock (real time plus whatever tests advanced it by). */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
  }

  // ---------------------------------------------------------------------------------------------
  // API: PaymentIntents
  // ---------------------------------------------------------------------------------------------

  createPaymentIntent(params: Params, context: RequestContext): PaymentIntentObject {
    const amount = this.chargeAmount(params, 'amount');
    const currency = requiredCurrency(params);
    const automatic = optionalObject(params, 'automatic_payment_methods');
    const automaticEnabled = automatic ? optionalBoolean(automatic, 'enabled', 'automatic_payment_methods[enabled]') : undefined;
    const paymentMethodTypes = optionalArray(params, 'payment_method_types')?.map(String);
    const paymentMethod = optionalString(params, 'payment_method') ?? null;
    const confirm = optionalBoolean(params, 'confirm') ?? false;
    const intent: PaymentIntentObject = {
      id: newId('pi'),
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: automaticEnabled === undefined ? null : { allow_redirects: 'always', enabled: automaticEnabled },
      canceled_at: null,
      cancellation_reason: null,
      capture_method: optionalString(params, 'capture_method') ?? 'automatic_async',
      client_secret: '',
      confirmation_method: 'automatic',
      created: this.now(),
      currency,
      customer: optionalString(params, 'customer') ?? null,
      description: optionalString(params, 'description') ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: metadataParam(params),
      next_action: null,
      on_behalf_of: null,
      payment_method: paymentMethod,
      payment_method_configuration_details: null,
      payment_method_options: { card: { request_three_d_secure: 'automatic' } },
      payment_method_types: paymentMethodTypes ?? ['card'],
      processing: null,
      receipt_email: optionalString(params, 'receipt_email') ?? null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: optionalString(params, 'statement_descriptor') ?? null,
      statement_descriptor_suffix: null,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      transfer_data: null,
      transfer_group: optionalString(params, 'transfer_group') ?? null,
    };
    intent.client_secret = `${intent.id}_secret_${newId('x', 25).slice(2)}`;
    this.paymentIntents.set(intent.id, intent);
    this.emit('payment_intent.created', intent, { context });
    if (confirm) this.confirmIntent(intent, paymentMethod, context);
    return intent;
  }

  retrievePaymentIntent(id: string): PaymentIntentObject {
    return this.requirePaymentIntent(id, 'intent');
  }

  updatePaymentIntent(id: string, params: Params, context: RequestContext): PaymentIntentObject {
    const intent = this.requirePaymentIntent(id, 'intent');
    if (params['metadata'] !== undefined) intent.metadata = { ...intent.metadata, ...metadataParam(params) };
    for (const key of Object.keys(optionalObject(params, 'metadata') ?? {})) {
      if ((params['metadata'] as Params)[key] === '') delete intent.metadata[key];
    }
    const description = optionalString(params, 'description');
    if (description !== undefined) intent.description = description || null;
    const amount = optionalInteger(params, 'amount');
    if (amount !== undefined) {
      if (intent.status === 'succeeded' || intent.status === 'canceled') throw this.unexpectedState(intent, 'update');
      intent.amount = this.chargeAmount(params, 'amount');
    }
    void context;
    return intent;
  }

  confirmPaymentIntent(id: string, params: Params, context: RequestContext): PaymentIntentObject {
    const intent = this.requirePaymentIntent(id, 'intent');
    if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(intent.status)) {
      throw this.unexpectedState(intent, 'confirm');
    }
    const paymentMethod = optionalString(params, 'payment_method') ?? intent.payment_method;
    if (!paymentMethod) {
      throw invalidRequest('You cannot confirm this PaymentIntent because it\'s missing a payment method. To confirm the PaymentIntent with a payment method, set the `payment_method` parameter.', { code: 'payment_intent_unexpected_state', saveForIdempotency: true });
    }
    this.confirmIntent(intent, paymentMethod, context);
    return intent;
  }

  cancelPaymentIntent(id: string, params: Params, context: RequestContext): PaymentIntentObject {
    const intent = this.requirePaymentIntent(id, 'intent');
    if (!CANCELABLE_STATUSES.includes(intent.status)) throw this.unexpectedState(intent, 'cancel');
    const reason = optionalString(params, 'cancellation_reason') ?? null;
    const previous = { status: intent.status, canceled_at: null, cancellation_reason: null };
    intent.status = 'canceled';
    intent.canceled_at = this.now();
    intent.cancellation_reason = reason;
    this.emit('payment_intent.canceled', intent, { context, previousAttributes: previous });
    return intent;
  }

  // ---------------------------------------------------------------------------------------------
  // API: Charges, Refunds, Disputes
  // ---------------------------------------------------------------------------------------------

  retrieveCharge(id: string): ChargeObject {
    const charge = this.charges.get(id);
    if (!charge) throw resourceMissing('charge', id, 'charge');
    return charge;
  }

  createRefund(params: Params, context: RequestContext): RefundObject {
    const intentId = optionalString(params, 'payment_intent');
    const chargeId = optionalString(params, 'charge');
    if (!intentId && !chargeId) {
      throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing', saveForIdempotency: false });
    }
    let charge: ChargeObject | undefined;
    if (intentId) {
      const intent = this.requirePaymentIntent(intentId, 'payment_intent', 400);
      if (intent.status !== 'succeeded' || !intent.latest_charge) {
        throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
      }
      charge = this.charges.get(intent.latest_charge);
    } else if (chargeId) {
      charge = this.charges.get(chargeId);
      if (!charge) throw resourceMissing('charge', chargeId, 'charge', 400);
    }
    if (!charge || charge.status !== 'succeeded') throw invalidRequest('This charge cannot be refunded.', { code: 'charge_not_refundable' });
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    if (charge.disputed) throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: 'charge_disputed' });
    const amount = optionalInteger(params, 'amount') ?? remaining;
    if (amount < 1) throw parameterInvalid('amount', 'Invalid integer: amount must be at least 1.', 'parameter_invalid_integer');
    if (amount > remaining) {
      throw invalidRequest(`Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`, { code: 'amount_too_large', param: 'amount' });
    }
    const refund: RefundObject = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
      livemode: false,
      metadata: metadataParam(params),
      payment_intent: charge.payment_intent,
      reason: optionalString(params, 'reason') ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    refund.balance_transaction = this.recordBalanceTransaction({ amount: -amount, currency: charge.currency, type: 'refund', reportingCategory: 'refund', source: refund.id, description: 'REFUND FOR CHARGE' }).id;
    this.refunds.set(refund.id, refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    this.emit('refund.created', refund, { context });
    this.emit('charge.refunded', charge, { context, previousAttributes: previous });
    return refund;
  }

  retrieveRefund(id: string): RefundObject {
    const refund = this.refunds.get(id);
    if (!refund) throw resourceMissing('refund', id, 'refund');
    return refund;
  }

  retrieveDispute(id: string): DisputeObject {
    const dispute = this.disputes.get(id);
    if (!dispute) throw resourceMissing('dispute', id, 'dispute');
    return dispute;
  }

  // ---------------------------------------------------------------------------------------------
  // API: Checkout Sessions
  // ---------------------------------------------------------------------------------------------

  createCheckoutSession(params: Params, context: RequestContext): CheckoutSessionObject {
    const mode = requiredString(params, 'mode');
    if (mode !== 'payment') {
      throw parameterInvalid('mode', `Invalid mode: ${mode}. This sandbox supports mode=payment only.`, 'parameter_invalid_string');
    }
    const lineItemParams = optionalArray(params, 'line_items');
    if (!lineItemParams || lineItemParams.length === 0) throw invalidRequest('You must provide at least one line item.', { code: 'parameter_missing', param: 'line_items', saveForIdempotency: false });
    let currency: string | undefined;
    let total = 0;
    const lineItems = lineItemParams.map((raw, index) => {
      const label = `line_items[${index}]`;
      if (typeof raw !== 'object' || raw === null) throw parameterInvalid(label, `Invalid object: ${label}`, 'parameter_invalid_object');
      const item = raw as Params;
      if (item['price'] !== undefined) throw resourceMissing('price', String(item['price']), `${label}[price]`, 400);
      const priceData = optionalObject(item, 'price_data', `${label}[price_data]`);
      if (!priceData) throw invalidRequest(`You must specify either \`price\` or \`price_data\` in ${label}.`, { code: 'parameter_missing', param: `${label}[price_data]`, saveForIdempotency: false });
      const itemCurrency = requiredCurrency(priceData, 'currency', `${label}[price_data][currency]`);
      const unitAmount = requiredInteger(priceData, 'unit_amount', `${label}[price_data][unit_amount]`);
      const quantity = requiredInteger(item, 'quantity', `${label}[quantity]`);
      if (unitAmount < 0) throw parameterInvalid(`${label}[price_data][unit_amount]`, 'Invalid integer: unit_amount must be at least 0.', 'parameter_invalid_integer');
      if (quantity < 1) throw parameterInvalid(`${label}[quantity]`, 'Invalid integer: quantity must be at least 1.', 'parameter_invalid_integer');
      if (currency && currency !== itemCurrency) throw parameterInvalid(`${label}[price_data][currency]`, 'All line items must share one currency.');
      currency = itemCurrency;
      total += unitAmount * quantity;
      const productData = optionalObject(priceData, 'product_data', `${label}[price_data][product_data]`);
      return { amount_total: unitAmount * quantity, currency: itemCurrency, description: productData ? optionalString(productData, 'name') ?? null : null, quantity, unit_amount: unitAmount };
    });
    if (total < this.minimumChargeMinor) {
      throw invalidRequest(`The Checkout Session's total amount due must add up to at least ${formatAmount(this.minimumChargeMinor, currency ?? 'usd')}`, { code: 'amount_too_small' });
    }
    const intentData = optionalObject(params, 'payment_intent_data') ?? {};
    const created = this.now();
    const session: CheckoutSessionObject = {
      id: newId('cs_test', 58),
      object: 'checkout.session',
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: total,
      amount_total: total,
      billing_address_collection: null,
      cancel_url: optionalString(params, 'cancel_url') ?? null,
      client_reference_id: optionalString(params, 'client_reference_id') ?? null,
      client_secret: null,
      created,
      currency: currency ?? 'usd',
      customer: optionalString(params, 'customer') ?? null,
      customer_details: null,
      customer_email: optionalString(params, 'customer_email') ?? null,
      expires_at: optionalInteger(params, 'expires_at') ?? created + 24 * 60 * 60,
      livemode: false,
      locale: null,
      metadata: metadataParam(params),
      mode: 'payment',
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      success_url: optionalString(params, 'success_url') ?? null,
      ui_mode: 'hosted',
      url: null,
      paymentIntentData: {
        metadata: metadataParam(intentData, 'metadata', 'payment_intent_data[metadata]'),
        description: optionalString(intentData, 'description', 'payment_intent_data[description]') ?? null,
        transfer_group: optionalString(intentData, 'transfer_group', 'payment_intent_data[transfer_group]') ?? null,
      },
    };
    session.url = `${context.baseUrl}/checkout/pay/${session.id}`;
    Object.defineProperty(session, 'lineItems', { value: lineItems, enumerable: false });
    this.checkoutSessions.set(session.id, session);
    return session;
  }

  retrieveCheckoutSession(id: string): CheckoutSessionObject {
    const session = this.checkoutSessions.get(id);
    if (!session) throw resourceMissing('checkout.session', id, 'session');
    return session;
  }

  expireCheckoutSession(id: string, context: RequestContext): CheckoutSessionObject {
    const session = this.retrieveCheckoutSession(id);
    if (session.status !== 'open') {
      throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, { code: 'checkout_session_unexpected_state' });
    }
    session.status = 'expired';
    session.url = null;
    this.emit('checkout.session.expired', session, { context });
    return session;
  }

  // ---------------------------------------------------------------------------------------------
  // API: Connect accounts and account links
  // ---------------------------------------------------------------------------------------------

  createAccount(params: Params): AccountObject {
    const type = (optionalString(params, 'type') ?? (optionalObject(params, 'controller') ? 'none' : undefined));
    if (!type) throw invalidRequest('You must provide `type` or `controller` when creating an account.', { code: 'parameter_missing', param: 'type', saveForIdempotency: false });
    if (!['express', 'custom', 'standard', 'none'].includes(type)) throw parameterInvalid('type', `Invalid type: must be one of express, custom, or standard`);
    const requested = optionalObject(params, 'capabilities') ?? {};
    const capabilities: Record<string, 'inactive'> = {};
    for (const [name, value] of Object.entries(requested)) {
      if (typeof value === 'object' && value !== null && (value as Params)['requested'] === 'true') capabilities[name] = 'inactive';
    }
    if (Object.keys(capabilities).length === 0) capabilities['transfers'] = 'inactive';
    const country = (optionalString(params, 'country') ?? 'US').toUpperCase();
    const due = ['business_type', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];
    const account: AccountObject = {
      id: newId('acct', 16),
      object: 'account',
      business_profile: { mcc: null, name: null, product_description: null, support_email: null, support_phone: null, support_url: null, url: null },
      business_type: optionalString(params, 'business_type') ?? null,
      capabilities,
      charges_enabled: false,
      controller: { is_controller: true, type: 'application' },
      country,
      created: this.now(),
      default_currency: country === 'US' ? 'usd' : 'eur',
      details_submitted: false,
      email: optionalString(params, 'email') ?? null,
      external_accounts: { object: 'list', data: [], has_more: false, total_count: 0, url: '' },
      future_requirements: { alternatives: [], current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] },
      livemode: false,
      metadata: metadataParam(params),
      payouts_enabled: false,
      requirements: { alternatives: [], current_deadline: null, currently_due: due, disabled_reason: 'requirements.past_due', errors: [], eventually_due: due, past_due: due, pending_verification: [] },
      tos_acceptance: { date: null, ip: null, user_agent: null },
      type: type as AccountObject['type'],
    };
    (account['external_accounts'] as { url: string }).url = `/v1/accounts/${account.id}/external_accounts`;
    this.accounts.set(account.id, account);
    return account;
  }

  retrieveAccount(id: string): AccountObject {
    const account = this.accounts.get(id);
    if (!account) throw resourceMissing('account', id, 'account');
    return account;
  }

  createAccountLink(params: Params, context: RequestContext): Record<string, unknown> {
    const accountId = requiredString(params, 'account');
    const type = requiredString(params, 'type');
    if (!['account_onboarding', 'account_update'].includes(type)) throw parameterInvalid('type', `Invalid type: must be one of account_onboarding or account_update`);
    const account = this.accounts.get(accountId);
    if (!account) throw resourceMissing('account', accountId, 'account', 400);
    const created = this.now();
    const link: AccountLinkRecord = {
      account: account.id,
      token: newId('al', 20).slice(3),
      returnUrl: optionalString(params, 'return_url') ?? null,
      refreshUrl: optionalString(params, 'refresh_url') ?? null,
      expiresAt: created + 300,
    };
    this.accountLinks.set(link.token, link);
    return { object: 'account_link', created, expires_at: link.expiresAt, url: `${context.baseUrl}/connect/onboarding/${account.id}/${link.token}` };
  }

  accountLink(token: string): AccountLinkRecord | undefined {
    return this.accountLinks.get(token);
  }

  // ---------------------------------------------------------------------------------------------
  // API: Transfers and reversals
  // ---------------------------------------------------------------------------------------------

  createTransfer(params: Params, context: RequestContext): TransferObject {
    const amount = requiredInteger(params, 'amount');
    if (amount < 1) throw parameterInvalid('amount', 'Invalid integer: amount must be at least 1.', 'parameter_invalid_integer');
    const currency = requiredCurrency(params);
    const destinationId = requiredString(params, 'destination');
    const metadata = metadataParam(params);
    const sourceTransaction = optionalString(params, 'source_transaction') ?? null;

    const injected = this.transferFailures.shift();
    if (injected) {
      throw invalidRequest(injected.message ?? 'The transfer could not be created.', { code: injected.code ?? 'transfers_not_allowed', status: injected.status ?? 400 });
    }
    const destination = this.accounts.get(destinationId);
    if (!destination) throw invalidRequest(`No such destination: '${destinationId}'`, { code: 'resource_missing', param: 'destination' });
    if (destination.capabilities['transfers'] !== 'active' && destination.capabilities['crypto_transfers'] !== 'active') {
      throw invalidRequest('Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments', { code: 'insufficient_capabilities_for_transfer', param: 'destination' });
    }
    if (sourceTransaction !== null && !this.charges.has(sourceTransaction)) throw resourceMissing('charge', sourceTransaction, 'source_transaction', 400);
    if (sourceTransaction === null && (this.platformBalance.get(currency) ?? 0) < amount) {
      throw invalidRequest('You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance', { code: 'balance_insufficient' });
    }
    const transfer: TransferObject = {
      id: newId('tr'),
      object: 'transfer',
      amount,
      amount_reversed: 0,
      balance_transaction: null,
      created: this.now(),
      currency,
      description: optionalString(params, 'description') ?? null,
      destination: destination.id,
      destination_payment: newId('py'),
      livemode: false,
      metadata,
      reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: '' },
      reversed: false,
      source_transaction: sourceTransaction,
      source_type: 'card',
      transfer_group: optionalString(params, 'transfer_group') ?? null,
    };
    transfer.reversals.url = `/v1/transfers/${transfer.id}/reversals`;
    transfer['balance_transaction'] = this.recordBalanceTransaction({ amount: -amount, currency, type: 'transfer', reportingCategory: 'transfer', source: transfer.id, description: null }).id;
    this.adjustAccountBalance(destination.id, currency, amount);
    this.transfers.set(transfer.id, transfer);
    this.emit('transfer.created', transfer, { context });
    return transfer;
  }

  retrieveTransfer(id: string): TransferObject {
    const transfer = this.transfers.get(id);
    if (!transfer) throw resourceMissing('transfer', id, 'transfer');
    return transfer;
  }

  createTransferReversal(transferId: string, params: Params, context: RequestContext): TransferReversalObject {
    const transfer = this.retrieveTransfer(transferId);
    const remaining = transfer.amount - transfer.amount_reversed;
    if (remaining <= 0) throw invalidRequest(`Transfer ${transfer.id} has already been fully reversed.`, { code: 'transfer_already_reversed' });
    const amount = optionalInteger(params, 'amount') ?? remaining;
    if (amount < 1) throw parameterInvalid('amount', 'Invalid integer: amount must be at least 1.', 'parameter_invalid_integer');
    if (amount > remaining) {
      throw invalidRequest(`You have requested a reversal of ${formatAmount(amount, transfer.currency)}, but only ${formatAmount(remaining, transfer.currency)} of this transfer remains to be reversed.`, { code: 'amount_too_large', param: 'amount' });
    }
    if (this.accountBalance(transfer.destination, transfer.currency) < amount) {
      throw invalidRequest('Insufficient funds in the destination account to reverse this transfer.', { code: 'balance_insufficient', param: 'amount' });
    }
    const reversal: TransferReversalObject = {
      id: newId('trr'),
      object: 'transfer_reversal',
      amount,
      balance_transaction: null,
      created: this.now(),
      currency: transfer.currency,
      destination_payment_refund: newId('pyr'),
      livemode: false,
      metadata: metadataParam(params),
      source_refund: null,
      transfer: transfer.id,
    };
    reversal['balance_transaction'] = this.recordBalanceTransaction({ amount, currency: transfer.currency, type: 'transfer_refund', reportingCategory: 'transfer_reversal', source: reversal.id, description: null }).id;
    this.adjustAccountBalance(transfer.destination, transfer.currency, -amount);
    this.reversals.set(reversal.id, reversal);
    const previous = { amount_reversed: transfer.amount_reversed, reversed: transfer.reversed };
    transfer.amount_reversed += amount;
    transfer.reversed = transfer.amount_reversed >= transfer.amount;
    transfer.reversals.data.unshift(reversal);
    transfer.reversals.total_count += 1;
    this.emit('transfer.reversed', transfer, { context, previousAttributes: previous });
    return reversal;
  }

  listTransferReversals(transferId: string, params: Params): StripeList<TransferReversalObject> {
    const transfer = this.retrieveTransfer(transferId);
    return paginate([...transfer.reversals.data].reverse(), params, transfer.reversals.url, 'transfer_reversal');
  }

  // ---------------------------------------------------------------------------------------------
  // API: Balance, balance transactions, events
  // ---------------------------------------------------------------------------------------------

  retrieveBalance(context: RequestContext): Record<string, unknown> {
    let balances: Map<string, number> = this.platformBalance;
    if (context.stripeAccount) {
      this.retrieveAccount(context.stripeAccount);
      balances = this.accountBalances.get(context.stripeAccount) ?? new Map();
    }
    const entries = balances.size > 0 ? [...balances.entries()] : [['usd', 0] as [string, number]];
    return {
      object: 'balance',
      available: entries.map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } })),
      connect_reserved: entries.map(([currency]) => ({ amount: 0, currency })),
      livemode: false,
      pending: entries.map(([currency]) => ({ amount: 0, currency, source_types: { card: 0 } })),
    };
  }

  listBalanceTransactions(params: Params, context: RequestContext): StripeList<BalanceTransactionObject> {
    // Connected accounts' own ledgers are not modelled: their list is empty.
    const items = context.stripeAccount ? [] : this.balanceTransactions;
    const type = optionalString(params, 'type');
    const source = optionalString(params, 'source');
    const currency = optionalString(params, 'currency');
    return paginate(items, params, '/v1/balance_transactions', 'balance_transaction',
      (item) => (!type || item.type === type) && (!source || item.source === source) && (!currency || item.currency === currency));
  }

  retrieveBalanceTransaction(id: string): BalanceTransactionObject {
    const transaction = this.balanceTransactions.find((item) => item.id === id);
    if (!transaction) throw resourceMissing('balance_transaction', id);
    return transaction;
  }

  listEvents(params: Params): StripeList<EventObject> {
    const type = optionalString(params, 'type');
    const matchesType = (eventType: string): boolean => !type || (type.endsWith('*') ? eventType.startsWith(type.slice(0, -1)) : eventType === type);
    return paginate(this.eventList, params, '/v1/events', 'event', (event) => matchesType(event.type));
  }

  retrieveEvent(id: string): EventObject {
    const event = this.eventList.find((item) => item.id === id);
    if (!event) throw resourceMissing('event', id);
    return event;
  }

  /** Any stored object by id, for `expand[]`. */
  lookup(id: string): unknown {
    return this.paymentIntents.get(id) ?? this.charges.get(id) ?? this.refunds.get(id) ?? this.checkoutSessions.get(id)
      ?? this.accounts.get(id) ?? this.transfers.get(id) ?? this.reversals.get(id) ?? this.disputes.get(id)
      ?? this.balanceTransactions.find((item) => item.id === id);
  }

  // ---------------------------------------------------------------------------------------------
  // Control: what a customer, an account holder or the card network would do
  // ---------------------------------------------------------------------------------------------

  /** The customer pays: the PaymentIntent succeeds with a charge; `payment_intent.succeeded` follows. */
  succeedPaymentIntent(id: string): PaymentIntentObject {
    const intent = this.controlPaymentIntent(id);
    if (!['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing'].includes(intent.status)) {
      throw new ControlError(409, 'unexpected_state', `PaymentIntent ${id} has status ${intent.status} and cannot succeed`);
    }
    this.settleIntent(intent, intent.payment_method ?? 'pm_card_visa', controlContext());
    return intent;
  }

  /** The customer's payment fails: back to `requires_payment_method` with `last_payment_error`; `payment_intent.payment_failed` follows. */
  failPaymentIntent(id: string, failure: { declineCode?: string; message?: string } = {}): PaymentIntentObject {
    const intent = this.controlPaymentIntent(id);
    if (!['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing'].includes(intent.status)) {
      throw new ControlError(409, 'unexpected_state', `PaymentIntent ${id} has status ${intent.status} and cannot fail`);
    }
    this.declineIntent(intent, intent.payment_method ?? 'pm_card_chargeDeclined', failure.declineCode ?? 'generic_decline', failure.message ?? 'Your card was declined.', controlContext());
    return intent;
  }

  /** The customer pays on the hosted page: a PaymentIntent is created and succeeds, then `checkout.session.completed`. */
  completeCheckoutSession(id: string): CheckoutSessionObject {
    const session = this.checkoutSessions.get(id);
    if (!session) throw new ControlError(404, 'not_found', `No such checkout session: ${id}`);
    if (session.status !== 'open') throw new ControlError(409, 'unexpected_state', `Checkout Session ${id} has status ${session.status}`);
    const context = controlContext();
    const intent = this.createPaymentIntent({
      amount: String(session.amount_total),
      currency: session.currency,
      metadata: session.paymentIntentData.metadata,
      ...(session.paymentIntentData.description ? { description: session.paymentIntentData.description } : {}),
      ...(session.paymentIntentData.transfer_group ? { transfer_group: session.paymentIntentData.transfer_group } : {}),
    }, context);
    this.settleIntent(intent, 'pm_card_visa', context);
    session.payment_intent = intent.id;
    session.status = 'complete';
    session.payment_status = 'paid';
    session['customer_details'] = { address: null, email: session['customer_email'] ?? null, name: null, phone: null, tax_exempt: 'none', tax_ids: [] };
    this.emit('checkout.session.completed', session, { context });
    return session;
  }

  /** The account holder finishes onboarding: charges and payouts enabled, capabilities active, `account.updated`. */
  completeOnboarding(accountId: string): AccountObject {
    const account = this.accounts.get(accountId);
    if (!account) throw new ControlError(404, 'not_found', `No such account: ${accountId}`);
    const previous = {
      charges_enabled: account.charges_enabled,
      payouts_enabled: account.payouts_enabled,
      details_submitted: account.details_submitted,
      capabilities: { ...account.capabilities },
      requirements: structuredClone(account.requirements),
    };
    account.charges_enabled = true;
    account.payouts_enabled = true;
    account.details_submitted = true;
    for (const name of Object.keys(account.capabilities)) account.capabilities[name] = 'active';
    account.requirements = { alternatives: [], current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] };
    account['tos_acceptance'] = { date: this.now(), ip: '127.0.0.1', user_agent: 'sandbox' };
    this.emit('account.updated', account, { context: controlContext(), previousAttributes: previous, account: account.id });
    return account;
  }

  /** The cardholder's bank disputes a charge: the amount and a dispute fee leave the balance; `charge.dispute.created`. */
  disputeCharge(chargeOrIntentId: string, input: { amount?: number; reason?: string; inquiry?: boolean } = {}): DisputeObject {
    const chargeId = chargeOrIntentId.startsWith('pi_') ? this.paymentIntents.get(chargeOrIntentId)?.latest_charge ?? '' : chargeOrIntentId;
    const charge = this.charges.get(chargeId);
    if (!charge || charge.status !== 'succeeded') throw new ControlError(404, 'not_found', `No successful charge: ${chargeOrIntentId}`);
    if (charge.disputed) throw new ControlError(409, 'already_disputed', `Charge ${charge.id} is already disputed`);
    const amount = input.amount ?? charge.amount_captured - charge.amount_refunded;
    const created = this.now();
    const dispute: DisputeObject = {
      id: newId('dp'),
      object: 'dispute',
      amount,
      balance_transactions: [],
      charge: charge.id,
      created,
      currency: charge.currency,
      evidence: {},
      evidence_details: { due_by: created + 7 * 24 * 60 * 60, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason: input.reason ?? 'fraudulent',
      status: input.inquiry ? 'warning_needs_response' : 'needs_response',
    };
    // an inquiry (retrieval request) withdraws nothing; a chargeback withdraws the amount and the fee
    if (!input.inquiry) {
      const transaction = this.recordBalanceTransaction({ amount: -amount, fee: this.disputeFeeMinor, currency: charge.currency, type: 'adjustment', reportingCategory: 'dispute', source: dispute.id, description: `Chargeback withdrawal for ${charge.id}` });
      dispute['balance_transactions'] = [structuredClone(transaction)];
    }
    this.disputes.set(dispute.id, dispute);
    charge.disputed = true;
    this.emit('charge.dispute.created', dispute, { context: controlContext() });
    return dispute;
  }

  /**
   * The card network decides a dispute: `won` reinstates the withdrawn amount (a second balance
   * transaction, `adjustment`/`dispute_reversal`, with the dispute fee returned) and emits
   * `charge.dispute.funds_reinstated`; `lost` keeps it withdrawn. `warning_closed` closes an inquiry
   * (`warning_*` status), which never withdrew anything. Every close emits `charge.dispute.closed`.
   */
  closeDispute(disputeOrChargeId: string, status: DisputeCloseStatus): DisputeObject {
    const dispute = this.disputes.get(disputeOrChargeId) ?? [...this.disputes.values()].find((candidate) => candidate.charge === disputeOrChargeId || candidate['payment_intent'] === disputeOrChargeId);
    if (!dispute) throw new ControlError(404, 'not_found', `No such dispute: ${disputeOrChargeId}`);
    if (!DISPUTE_CLOSE_STATUSES.includes(status)) throw new ControlError(400, 'invalid_body', `status is one of ${DISPUTE_CLOSE_STATUSES.join(', ')}`);
    if (['won', 'lost', 'warning_closed', 'prevented'].includes(dispute.status)) throw new ControlError(409, 'already_closed', `Dispute ${dispute.id} is already ${dispute.status}`);
    const inquiry = dispute.status.startsWith('warning_');
    if (inquiry !== (status === 'warning_closed')) {
      throw new ControlError(409, 'invalid_transition', inquiry ? `Dispute ${dispute.id} is an inquiry: it closes as warning_closed` : `Dispute ${dispute.id} is a chargeback: it closes as won or lost`);
    }
    const previous = { status: dispute.status };
    dispute.status = status;
    if (status === 'won') {
      const withdrawn = (dispute['balance_transactions'] as BalanceTransactionObject[])[0];
      const transaction = this.recordBalanceTransaction({ amount: dispute.amount, fee: -(withdrawn?.fee ?? 0), currency: dispute.currency, type: 'adjustment', reportingCategory: 'dispute_reversal', source: dispute.id, description: `Chargeback reversal for ${dispute.charge}` });
      (dispute['balance_transactions'] as BalanceTransactionObject[]).push(structuredClone(transaction));
      this.emit('charge.dispute.funds_reinstated', dispute, { context: controlContext() });
    }
    this.emit('charge.dispute.closed', dispute, { context: controlContext(), previousAttributes: previous });
    return dispute;
  }

  /**
   * The card issuer sends a refund back (the card was closed, lost or stolen): Stripe documents that a
   * refund's status can change to `failed` after `succeeded`. The amount returns to the balance (a
   * balance transaction `refund_failure`, reporting category `refund_failure`, source the refund), the
   * refund gets `failure_reason` and `failure_balance_transaction`, the charge's `amount_refunded`
   * drops (it may be refunded again), and `refund.updated` then `refund.failed` are emitted.
   */
  failRefund(refundId: string, input: { reason?: RefundFailureReason } = {}): RefundObject {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new ControlError(404, 'not_found', `No such refund: ${refundId}`);
    const reason = input.reason ?? 'expired_or_canceled_card';
    if (!REFUND_FAILURE_REASONS.includes(reason)) throw new ControlError(400, 'invalid_body', `reason is one of ${REFUND_FAILURE_REASONS.join(', ')}`);
    if (refund.status !== 'succeeded' && refund.status !== 'pending') throw new ControlError(409, 'unexpected_state', `Refund ${refund.id} is ${refund.status}`);
    const previous = { status: refund.status, failure_balance_transaction: null, failure_reason: null };
    const transaction = this.recordBalanceTransaction({ amount: refund.amount, currency: refund.currency, type: 'refund_failure', reportingCategory: 'refund_failure', source: refund.id, description: 'REFUND FAILURE' });
    refund.status = 'failed';
    refund['failure_reason'] = reason;
    refund['failure_balance_transaction'] = transaction.id;
    const card = (refund['destination_details'] as { card?: Record<string, unknown> } | undefined)?.card;
    if (card) card['reference_status'] = 'unavailable';
    const charge = this.charges.get(refund.charge);
    if (charge) {
      charge.amount_refunded = Math.max(0, charge.amount_refunded - refund.amount);
      charge.refunded = charge.amount_refunded >= charge.amount_captured;
    }
    this.emit('refund.updated', refund, { context: controlContext(), previousAttributes: previous });
    this.emit('refund.failed', refund, { context: controlContext() });
    return refund;
  }

  /** The next `count` transfer requests fail with this error (saved under their idempotency keys, as Stripe does). */
  failNextTransfers(count = 1, failure: TransferFailure = {}): void {
    for (let index = 0; index < count; index += 1) this.transferFailures.push(failure);
  }

  /** Adds funds to the platform's available balance (Stripe's "bypass pending" test card, in one call). */
  addBalance(amount: number, currency: string): void {
    if (!Number.isSafeInteger(amount)) throw new ControlError(400, 'invalid_amount', 'amount must be an integer');
    const normalized = currency.toLowerCase();
    this.recordBalanceTransaction({ amount, currency: normalized, type: 'adjustment', reportingCategory: 'other_adjustment', source: null, description: 'Sandbox balance adjustment' });
  }

  injectFault(rule: FaultRule): ActiveFault {
    return this.faults.add(rule);
  }

  setWebhookEndpoint(input: { url: string; secret?: string; enabledEvents?: string[] } | null): WebhookEndpoint | null {
    return this.webhooks.setEndpoint(input);
  }

  holdWebhooks(): void {
    this.webhooks.hold();
  }

  releaseWebhooks(order?: readonly string[] | 'reverse'): Promise<void> {
    return this.webhooks.release(order);
  }

  /** Sends a stored event again (a duplicate delivery). */
  redeliverEvent(eventId: string): Promise<DeliveryAttempt[]> {
    const event = this.eventList.find((item) => item.id === eventId);
    if (!event) throw new ControlError(404, 'not_found', `No such event: ${eventId}`);
    return this.webhooks.redeliver(event, serializeEvent(event));
  }

  events(filter: { type?: string } = {}): EventObject[] {
    return this.eventList.filter((event) => !filter.type || event.type === filter.type).map((event) => structuredClone(event));
  }

  deliveries(): DeliveryAttempt[] {
    return this.webhooks.attempts();
  }

  /** Resolves when no webhook delivery (or retry) is under way. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  advanceClock(seconds: number): number {
    this.clockOffsetSeconds += Math.trunc(seconds);
    return this.now();
  }

  /** Forgets every object, event, idempotency key, fault and held delivery; keeps the endpoints. */
  reset(): void {
    for (const map of [this.paymentIntents, this.charges, this.refunds, this.checkoutSessions, this.accounts, this.accountLinks, this.transfers, this.reversals, this.disputes, this.platformBalance, this.accountBalances]) map.clear();
    this.balanceTransactions = [];
    this.eventList = [];
    this.transferFailures = [];
    this.clockOffsetSeconds = 0;
    this.idempotency.clear();
    this.faults.clear();
    this.webhooks.reset();
  }

  /** Stops webhook retries and drops requests held open by faults. */
  close(): void {
    this.webhooks.close();
    for (const release of [...this.hungRequests]) release();
  }

  /** Read-only copies of state, for assertions. */
  snapshot(): { paymentIntents: PaymentIntentObject[]; charges: ChargeObject[]; refunds: RefundObject[]; transfers: TransferObject[]; accounts: AccountObject[]; checkoutSessions: CheckoutSessionObject[]; disputes: DisputeObject[]; balance: Record<string, number> } {
    return structuredClone({
      paymentIntents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      transfers: [...this.transfers.values()],
      accounts: [...this.accounts.values()],
      checkoutSessions: [...this.checkoutSessions.values()],
      disputes: [...this.disputes.values()],
      balance: Object.fromEntries(this.platformBalance),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Internals
  // ---------------------------------------------------------------------------------------------

  private chargeAmount(params: Params, name: string): number {
    const amount = requiredInteger(params, name);
    if (amount < 1) throw parameterInvalid(name, 'Invalid integer: amount must be at least 1.', 'parameter_invalid_integer');
    if (amount < this.minimumChargeMinor) {
      throw invalidRequest(`Amount must be at least ${this.minimumChargeMinor} minor units`, { code: 'amount_too_small', param: name, saveForIdempotency: false });
    }
    if (amount > 99_999_999) throw invalidRequest('Amount must be no more than 99999999 minor units', { code: 'amount_too_large', param: name, saveForIdempotency: false });
    return amount;
  }

  private requirePaymentIntent(id: string, param: string, status = 404): PaymentIntentObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw resourceMissing('payment_intent', id, param, status);
    return intent;
  }

  private controlPaymentIntent(id: string): PaymentIntentObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw new ControlError(404, 'not_found', `No such payment_intent: ${id}`);
    return intent;
  }

  private unexpectedState(intent: PaymentIntentObject, action: string): StripeApiError {
    const allowed = action === 'cancel' ? CANCELABLE_STATUSES.join(', ') : 'requires_payment_method, requires_confirmation, requires_action';
    return new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${action === 'cancel' ? 'canceled' : action === 'confirm' ? 'confirmed' : 'updated'}: ${allowed}.`,
      payment_intent: structuredClone(intent),
    });
  }

  private confirmIntent(intent: PaymentIntentObject, paymentMethod: string | null, context: RequestContext): void {
    const method = paymentMethod ?? 'pm_card_visa';
    const decline = DECLINING_TEST_PAYMENT_METHODS[method];
    if (!decline) {
      this.settleIntent(intent, method, context);
      return;
    }
    const charge = this.declineIntent(intent, method, decline.declineCode, decline.message, context);
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'card_declined',
      decline_code: decline.declineCode,
      message: decline.message,
      charge: charge.id,
      payment_intent: structuredClone(intent),
    });
  }

  private settleIntent(intent: PaymentIntentObject, paymentMethod: string, context: RequestContext): void {
    const charge = this.newCharge(intent, paymentMethod, 'succeeded');
    const fee = Math.round((intent.amount * this.fees.percentBps) / 10_000) + this.fees.fixedMinor;
    charge.balance_transaction = this.recordBalanceTransaction({ amount: intent.amount, fee, currency: intent.currency, type: 'charge', reportingCategory: 'charge', source: charge.id, description: intent.description }).id;
    const previous = { status: intent.status, amount_received: intent.amount_received, latest_charge: intent.latest_charge };
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.payment_method = paymentMethod;
    intent.latest_charge = charge.id;
    intent.last_payment_error = null;
    this.emit('charge.succeeded', charge, { context });
    this.emit('payment_intent.succeeded', intent, { context, previousAttributes: previous });
  }

  private declineIntent(intent: PaymentIntentObject, paymentMethod: string, declineCode: string, message: string, context: RequestContext): ChargeObject {
    const charge = this.newCharge(intent, paymentMethod, 'failed');
    charge['failure_code'] = 'card_declined';
    charge['failure_message'] = message;
    charge['outcome'] = { network_status: 'declined_by_network', reason: declineCode, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' };
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.latest_charge = charge.id;
    intent.last_payment_error = {
      charge: charge.id,
      code: 'card_declined',
      decline_code: declineCode,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      message,
      payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' },
      type: 'card_error',
    };
    this.emit('charge.failed', charge, { context });
    this.emit('payment_intent.payment_failed', intent, { context });
    return charge;
  }

  private newCharge(intent: PaymentIntentObject, paymentMethod: string, status: 'succeeded' | 'failed'): ChargeObject {
    const succeeded = status === 'succeeded';
    const charge: ChargeObject = {
      id: newId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: succeeded ? intent.amount : 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: null,
      billing_details: { address: null, email: null, name: null, phone: null },
      calculated_statement_descriptor: 'PLACARD',
      captured: succeeded,
      created: this.now(),
      currency: intent.currency,
      customer: intent['customer'] ?? null,
      description: intent.description,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      fraud_details: {},
      livemode: false,
      metadata: { ...intent.metadata },
      on_behalf_of: null,
      outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
      paid: succeeded,
      payment_intent: intent.id,
      payment_method: paymentMethod,
      payment_method_details: { card: { brand: 'visa', country: 'US', exp_month: 12, exp_year: 2034, funding: 'credit', last4: '4242' }, type: 'card' },
      receipt_email: null,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status,
      transfer_data: null,
      transfer_group: intent.transfer_group,
    };
    this.charges.set(charge.id, charge);
    return charge;
  }

  private recordBalanceTransaction(input: { amount: number; fee?: number; currency: string; type: string; reportingCategory: string; source: string | null; description: string | null }): BalanceTransactionObject {
    const fee = input.fee ?? 0;
    const created = this.now();
    const transaction: BalanceTransactionObject = {
      id: newId('txn'),
      object: 'balance_transaction',
      amount: input.amount,
      available_on: created,
      balance_type: 'payments',
      created,
      currency: input.currency,
      description: input.description,
      exchange_rate: null,
      fee,
      fee_details: fee > 0 ? [{ amount: fee, application: null, currency: input.currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
      livemode: false,
      net: input.amount - fee,
      reporting_category: input.reportingCategory,
      source: input.source,
      status: 'available',
      type: input.type,
    };
    this.balanceTransactions.push(transaction);
    this.platformBalance.set(input.currency, (this.platformBalance.get(input.currency) ?? 0) + transaction.net);
    return transaction;
  }

  private accountBalance(accountId: string, currency: string): number {
    return this.accountBalances.get(accountId)?.get(currency) ?? 0;
  }

  private adjustAccountBalance(accountId: string, currency: string, delta: number): void {
    const balances = this.accountBalances.get(accountId) ?? new Map<string, number>();
    balances.set(currency, (balances.get(currency) ?? 0) + delta);
    this.accountBalances.set(accountId, balances);
  }

  private emit(type: string, object: { id: string }, options: { context: RequestContext; previousAttributes?: Record<string, unknown>; account?: string }): EventObject {
    const data: EventObject['data'] = { object: structuredClone(object) };
    if (options.previousAttributes) data.previous_attributes = structuredClone(options.previousAttributes);
    const event: EventObject = {
      id: newId('evt'),
      object: 'event',
      ...(options.account ? { account: options.account } : {}),
      api_version: this.apiVersion,
      created: this.now(),
      data,
      livemode: false,
      pending_webhooks: this.webhooks.countEndpointsFor(type),
      request: { id: options.context.requestId, idempotency_key: options.context.idempotencyKey },
      type,
    };
    this.eventList.push(event);
    this.webhooks.enqueue(event, serializeEvent(event));
    return event;
  }
}

/** Stripe sends events pretty-printed; the signature covers these exact bytes. */
export function serializeEvent(event: EventObject): string {
  return JSON.stringify(event, null, 2);
}

function controlContext(): RequestContext {
  return { requestId: null, idempotencyKey: null, baseUrl: '' };
}

function formatAmount(amount: number, currency: string): string {
  return `${amount} ${currency}`;
}

export type { Metadata };
