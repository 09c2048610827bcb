import Stripe from 'stripe';
import { WebhookSignatureError } from './errors';

/**
 * Verifies a Stripe webhook as Stripe documents it (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of
 * `${t}.${rawBody}` with the endpoint secret, timestamp at most `toleranceSeconds` old) using the SDK's
 * `webhooks.constructEvent`, and returns the parsed event. Pass the raw body exactly as received: a
 * re-serialized JSON body does not verify.
 * @throws WebhookSignatureError (answer 400) — its message never contains the secret or the signature
 */
export function verifyStripeWebhook(
  rawBody: Buffer | string,
  signatureHeader: string | undefined,
  secret: string,
  toleranceSeconds = 300,
): Stripe.Event {
  if (!signatureHeader) throw new WebhookSignatureError('missing_header', 'The Stripe-Signature header is missing');
  if (!/(^|,)\s*t=\d+/.test(signatureHeader) || !/(^|,)\s*v1=[0-9a-f]+/i.test(signatureHeader)) {
    throw new WebhookSignatureError('malformed_header', 'The Stripe-Signature header has no timestamp or no v1 signature');
  }
  try {
    return Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, toleranceSeconds);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) {
      throw new WebhookSignatureError('malformed_payload', 'The webhook body is not a JSON event');
    }
    // Tell an old-but-genuine delivery from a forged one: check the signature alone (tolerance 0 skips the age check).
    try {
      if (!Stripe.webhooks.signature) throw new Error('no signature helper');
      Stripe.webhooks.signature.verifyHeader(rawBody, signatureHeader, secret, 0);
    } catch {
      throw new WebhookSignatureError('bad_signature', 'No Stripe-Signature v1 signature matches the body');
    }
    throw new WebhookSignatureError('timestamp_out_of_tolerance', `The Stripe-Signature timestamp is more than ${toleranceSeconds} s old`);
  }
}
