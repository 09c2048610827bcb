/**
 * How money enters and leaves Placard. The ledger is the source of truth; a provider only moves
 * money at the edges (top-ups in, payouts and refunds out) and reports what happened.
 */
export interface TopUpRequest { topUpId: string; accountId: string; amountMinor: number; currency: string }
export interface TopUpResult { status: 'succeeded' | 'pending' | 'failed'; providerRef: string | null; clientSecret?: string | null; checkoutUrl?: string | null }
export interface PayoutRequest { payoutId: string; destination: string; amountMinor: number; currency: string }
export interface PayoutResult { status: 'paid' | 'pending' | 'failed'; providerRef: string | null; failureReason?: string }
export interface RefundRequest { refundId: string; providerRef: string; amountMinor: number }
export interface RefundResult { status: 'succeeded' | 'pending' | 'failed'; providerRef: string | null }
export interface PaymentsProvider {
  readonly name: 'sandbox' | 'stripe';
  createTopUp(request: TopUpRequest): Promise<TopUpResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
  createConnectedAccount?(input: { ownerId: string; email: string }): Promise<{ accountRef: string }>;
  createOnboardingLink?(input: { accountRef: string; returnUrl: string; refreshUrl: string }): Promise<{ url: string }>;
  payout?(request: PayoutRequest): Promise<PayoutResult>;
}
