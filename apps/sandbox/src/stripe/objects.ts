/**
 * The Stripe objects the sandbox keeps, with the fields it reads or changes typed; the rest of each
 * object follows Stripe's API reference so that the SDK's types describe what clients receive.
 */
export type Metadata = Record<string, string>;

interface StripeObject {
  id: string;
  object: string;
  created: number;
  livemode: false;
  [field: string]: unknown;
}

export interface PaymentIntentObject extends StripeObject {
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'canceled' | 'succeeded';
  metadata: Metadata;
  latest_charge: string | null;
  payment_method: string | null;
  last_payment_error: Record<string, unknown> | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  transfer_group: string | null;
  description: string | null;
}

export interface ChargeObject extends StripeObject {
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: 'succeeded' | 'failed' | 'pending';
  paid: boolean;
  refunded: boolean;
  disputed: boolean;
  payment_intent: string | null;
  balance_transaction: string | null;
  metadata: Metadata;
}

export interface RefundObject extends StripeObject {
  object: 'refund';
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string | null;
  status: 'succeeded' | 'pending' | 'failed' | 'canceled';
  metadata: Metadata;
}

export interface CheckoutSessionObject extends StripeObject {
  object: 'checkout.session';
  amount_total: number;
  currency: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  payment_intent: string | null;
  metadata: Metadata;
  success_url: string | null;
  cancel_url: string | null;
  url: string | null;
  /** not a Stripe field: what the PaymentIntent gets when the session completes */
  paymentIntentData: { metadata: Metadata; description: string | null; transfer_group: string | null };
}

export interface AccountObject extends StripeObject {
  object: 'account';
  type: 'express' | 'custom' | 'standard' | 'none';
  email: string | null;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  capabilities: Record<string, 'active' | 'inactive' | 'pending'>;
  requirements: Record<string, unknown>;
  metadata: Metadata;
}

export interface TransferReversalObject extends StripeObject {
  object: 'transfer_reversal';
  amount: number;
  currency: string;
  transfer: string;
  metadata: Metadata;
}

export interface TransferObject extends StripeObject {
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  currency: string;
  destination: string;
  reversed: boolean;
  metadata: Metadata;
  reversals: { object: 'list'; data: TransferReversalObject[]; has_more: boolean; total_count: number; url: string };
}

export interface BalanceTransactionObject extends StripeObject {
  object: 'balance_transaction';
  amount: number;
  fee: number;
  net: number;
  currency: string;
  type: string;
  source: string | null;
}

export interface DisputeObject extends StripeObject {
  object: 'dispute';
  amount: number;
  currency: string;
  charge: string;
  reason: string;
  status: string;
}

export interface EventObject extends StripeObject {
  object: 'event';
  type: string;
  api_version: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  account?: string;
}

export interface AccountLinkRecord {
  account: string;
  token: string;
  returnUrl: string | null;
  refreshUrl: string | null;
  expiresAt: number;
}
