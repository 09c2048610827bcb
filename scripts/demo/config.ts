import { jsonClient, type JsonClient } from './http';

/** Where `npm run dev` listens unless told otherwise. */
export const urls = {
  advertiserApi: process.env.ADVERTISER_API_URL ?? 'http://127.0.0.1:3001',
  channelApi: process.env.CHANNEL_API_URL ?? 'http://127.0.0.1:3002',
  sandbox: process.env.SANDBOX_URL ?? 'http://127.0.0.1:3004',
};

export const advertiserApi = (apiKey?: string): JsonClient => jsonClient(`${urls.advertiserApi}`, apiKey);
export const channelApi = (apiKey?: string): JsonClient => jsonClient(`${urls.channelApi}`, apiKey);
export const telegramControl = (): JsonClient => jsonClient(`${urls.sandbox}/control/telegram`);
export const sandboxControl = (): JsonClient => jsonClient(`${urls.sandbox}/control/sandbox`);

/** The format the demo buys: the shortest one (1 hour on top, 24 hours in the feed, scaled by TIME_SCALE). */
export const FORMAT = '1/24';
export const CURRENCY = 'USD';
export const PRICE_MINOR = 25_000;
export const TOP_UP_MINOR = 100_000;
/** How far ahead the demo books: enough for the owner to see and accept the offer first. */
export const LEAD_TIME_MS = 10_000;
