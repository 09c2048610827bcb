import { advertiserApi, channelApi, CURRENCY, PRICE_MINOR, sandboxControl, telegramControl } from './config';
import { DemoError, HttpError } from './http';
import { money, say, step } from './narrate';
import type { DemoChannel, Party } from './types';
import { waitFor } from './wait';

const stamp = Date.now().toString(36);

/** What the channel's human admin posts before any deal, so the channel has content to be matched on. */
const CHANNEL_POSTS = [
  'Bitcoin broke 70k overnight as ETF inflows kept coming; on-chain data shows long-term holders are not selling.',
  'Ethereum gas fees hit a yearly low after the latest upgrade. Good moment to move tokens to a self-custody wallet.',
  'Stablecoin supply grew for the fifth week in a row: fresh liquidity is usually a good sign for the crypto market.',
];

export async function signUp(kind: 'advertiser' | 'owner', name: string): Promise<Party> {
  const api = kind === 'advertiser' ? advertiserApi() : channelApi();
  const body = await api.post<{ account: { id: string }; apiKey: string }>('/v1/accounts', { email: `${kind}-${stamp}@example.com`, name });
  say(`${name} signed up as ${kind}: account ${body.account.id}, API key ${body.apiKey.slice(0, 12)}… (shown once)`);
  return { name, apiKey: body.apiKey };
}

/** Chat ids an earlier `npm run dev` session already verified can come back after a restart: retry this often. */
const MAX_CHANNEL_ATTEMPTS = 100;

interface SandboxChannel {
  id: number;
  creatorId: number;
  username: string;
}

async function createSandboxChannel(botId: number, attempt: number): Promise<SandboxChannel> {
  const username = attempt === 0 ? `crypto_daily_${stamp}` : `crypto_daily_${stamp}_${attempt}`;
  const channel = await telegramControl().post<{ id: number; creatorId: number }>('/channels', {
    title: 'Crypto Daily',
    username,
    description: 'Crypto news, every morning.',
    memberCount: 12_400,
  });
  await telegramControl().put(`/channels/${channel.id}/admins/${botId}`, { canPostMessages: true, canEditMessages: true, canDeleteMessages: true });
  return { id: channel.id, creatorId: channel.creatorId, username };
}

const errorCode = (error: unknown): string | undefined =>
  error instanceof HttpError ? (error.body as { error?: { code?: string } } | undefined)?.error?.code : undefined;

/**
 * The owner's side of onboarding, done the way a person would: a channel in (sandbox) Telegram,
 * the platform bot made an admin that may post, the channel registered, the code put in the
 * channel description, verification, pricing.
 */
export async function onboardChannel(owner: Party): Promise<DemoChannel> {
  const platform = await sandboxControl().get<{ botId: number }>('/platform');
  const api = channelApi(owner.apiKey);

  step('The owner has a Telegram channel and makes the Placard bot an admin that can post');
  for (let attempt = 0; attempt < MAX_CHANNEL_ATTEMPTS; attempt++) {
    const channel = await createSandboxChannel(platform.botId, attempt);
    if (attempt === 0) {
      say(`sandbox channel @${channel.username} (chat ${channel.id}, 12,400 subscribers); bot ${platform.botId} is an admin with can_post_messages`);
      step(`The owner registers @${channel.username} with Placard`);
    }
    const registered = await api.post<{ id: string; status: string; verificationCode: string; instructions: string }>('/v1/channels', {
      platform: 'telegram',
      handle: `@${channel.username}`,
    });
    if (attempt === 0) {
      say(`channel ${registered.id}: status ${registered.status}, verification code ${registered.verificationCode}`);
      say(`instructions: ${registered.instructions}`);
      try {
        await api.post(`/v1/channels/${registered.id}/verify`);
        say('(unexpected: verified before the code was in the description)');
      } catch (error) {
        if (errorCode(error) === undefined || (error as HttpError).status !== 409) throw error;
        say(`verifying too early is refused: 409 ${errorCode(error)}`);
      }
      step('The owner puts the code in the channel description and verifies');
    }
    await telegramControl().patch(`/channels/${channel.id}`, { description: `Crypto news, every morning. ${registered.verificationCode}` });
    let verified: { status: string; title: string; username: string; subscribers: number };
    try {
      verified = await api.post(`/v1/channels/${registered.id}/verify`);
    } catch (error) {
      if (errorCode(error) !== 'channel_taken') throw error;
      // the sandbox numbers chats from the same start on every `npm run dev`, the database keeps earlier runs' channels
      if (attempt === 0) say(`chat ${channel.id} was verified in an earlier \`npm run dev\` session (the sandbox restarted and reuses chat ids); trying new sandbox channels`);
      continue;
    }
    if (attempt > 0) say(`using sandbox channel @${channel.username} (chat ${channel.id}) instead`);
    say(`status ${verified.status}; read from Telegram: title "${verified.title}", @${verified.username}, ${verified.subscribers} subscribers`);

    const formats = ['1/24', '2/48', '3/72', '7d'].map((format, index) => ({ format, priceMinor: PRICE_MINOR * (index + 1), currency: CURRENCY }));
    await api.put(`/v1/channels/${registered.id}/pricing`, { formats });
    say(`pricing: ${formats.map((entry) => `${entry.format} ${money(entry.priceMinor, CURRENCY)}`).join(', ')}`);
    return { id: registered.id, chatId: channel.id, username: channel.username, adminUserId: channel.creatorId };
  }
  throw new DemoError(`every sandbox chat id the demo tried was already taken in the database (${MAX_CHANNEL_ATTEMPTS} attempts)`);
}

/** The channel's human admin posts as usual; the bot receives the posts and Placard profiles the channel. */
export async function postChannelContent(owner: Party, channel: DemoChannel): Promise<void> {
  step('The channel posts its usual content (as its human admin)');
  for (const text of CHANNEL_POSTS) {
    const message = await telegramControl().post<{ message_id: number }>(`/channels/${channel.chatId}/messages`, { userId: channel.adminUserId, text });
    say(`message ${message.message_id}: ${text}`);
  }
  let topics: { topic: string; score: number }[] = [];
  try {
    topics = await waitFor(
      'the worker to ingest the posts and profile the channel',
      async () => {
        const view = await channelApi(owner.apiKey).get<{ topics: { topic: string; score: number }[] }>(`/v1/channels/${channel.id}`);
        return view.topics.length > 0 ? view.topics : undefined;
      },
      { timeoutMs: 30_000 },
    );
  } catch {
    say('the channel has no topic profile yet (the worker has not ingested the posts); carrying on');
    return;
  }
  say(`the worker ingested them (text only) and profiled the channel: ${topics.slice(0, 3).map((entry) => `${entry.topic} ${entry.score.toFixed(2)}`).join(', ')}`);
}

