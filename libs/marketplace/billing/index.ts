export * from './billing.entities';
export * from './stripe-provider';
export * from './stripe-event-log';
export * from './stripe-top-ups.service';
export * from './refunds.service';
export * from './payouts.service';
export * from './reconciliation.service';
export * from './stripe-webhook.service';
export * from './stuck-movements';

import { PayoutsService } from './payouts.service';
import { ReconciliationService } from './reconciliation.service';
import { RefundsService } from './refunds.service';
import { StripeEventLog } from './stripe-event-log';
import { StripeTopUpsService } from './stripe-top-ups.service';
import { StripeWebhookService } from './stripe-webhook.service';

export const BILLING_SERVICES = [StripeEventLog, StripeTopUpsService, RefundsService, PayoutsService, ReconciliationService, StripeWebhookService];
