import { DomainError, ErrorCode } from '#libs/common';
import { StripePaymentsProvider, type PaymentsProvider } from '#libs/payments';

/** The Stripe-only operations (Connect, reversals, balance transactions) need the Stripe provider itself. */
export function requireStripe(provider: PaymentsProvider): StripePaymentsProvider {
  if (!(provider instanceof StripePaymentsProvider)) throw new DomainError(ErrorCode.ProviderNotEnabled);
  return provider;
}

export const STRIPE = 'stripe';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Stripe writes currencies in lower case; the ledger and the API use ISO capitals. */
export const isoCurrency = (currency: string): string => currency.toUpperCase();

/** An expandable Stripe field: the id whether it came as a string or as the object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
