import { PaymentsProvider, RefundRequest, RefundResult, TopUpRequest, TopUpResult } from '#libs/payments';

/**
 * Development and test money: a top-up succeeds at once, with no card and no network. Only ever
 * instantiated when PAYMENTS_PROVIDER=sandbox.
 */
export class SandboxPaymentsProvider implements PaymentsProvider {
  readonly name = 'sandbox' as const;

  async createTopUp(request: TopUpRequest): Promise<TopUpResult> {
    return { status: 'succeeded', providerRef: `sandbox_topup_${request.topUpId}` };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    return { status: 'succeeded', providerRef: `sandbox_refund_${request.refundId}` };
  }
}
