export { StripeSandbox, ControlError, serializeEvent } from './stripe-sandbox';
export type { StripeSandboxOptions, RequestContext, TransferFailure } from './stripe-sandbox';
export { startStripeSandbox } from './server';
export type { StartStripeSandboxOptions, RunningStripeSandbox } from './server';
export { signWebhookPayload } from './webhooks';
export type { DeliveryAttempt, WebhookEndpoint, WebhookRetryPolicy } from './webhooks';
export type { FaultRule, ActiveFault } from './faults';
export type * from './objects';
