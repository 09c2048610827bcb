import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a webhook request carries our secret in X-Telegram-Bot-Api-Secret-Token (set with
 * setWebhook's secret_token). Compared in constant time so the secret cannot be guessed byte by byte.
 */
export function webhookSecretMatches(headerValue: string | string[] | undefined, expectedSecret: string): boolean {
  if (typeof headerValue !== 'string' || expectedSecret === '') return false;
  const given = Buffer.from(headerValue);
  const expected = Buffer.from(expectedSecret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';
