export { StripePaymentsProvider } from './stripe-payments-provider';
export type { StripePaymentsProviderOptions, ReversePayoutRequest, StripeBalanceTransaction } from './stripe-payments-provider';
export { verifyStripeWebhook } from './webhook-verification';
export { StripeProviderError, WebhookSignatureError } from './errors';
export type { WebhookSignatureFailure } from './errors';
