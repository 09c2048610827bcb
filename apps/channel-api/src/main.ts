import 'reflect-metadata';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { runApiProcesses, startHttpApi } from '#libs/http';
import { PLATFORM_ADAPTER } from '#libs/marketplace';
import type { PlatformAdapter } from '#libs/platforms';
import { ChannelApiModule } from './channel-api.module';

export async function startChannelApi(port?: number) {
  const { app, url } = await startHttpApi(
    ChannelApiModule,
    {
      name: 'channel-api',
      title: 'Placard channel API',
      description: 'Channels, verification, pricing, offers and earnings for channel owners; the Telegram webhook.',
      port: (config) => config.ports.channelApi,
    },
    port,
  );
  await registerTelegramWebhook(app.get<PlacardConfig>(PLACARD_CONFIG), app.get<PlatformAdapter>(PLATFORM_ADAPTER), url);
  return { app, url };
}

/** In webhook mode the channel API tells Telegram where to deliver updates, with the secret token. */
async function registerTelegramWebhook(config: PlacardConfig, platform: PlatformAdapter, listeningUrl: string): Promise<void> {
  if (config.telegram.updates !== 'webhook' || !config.telegram.botToken || !config.telegram.webhookSecret) return;
  const base = (config.publicBaseUrl ?? listeningUrl.replace('[::1]', '127.0.0.1')).replace(/\/+$/, '');
  await platform.setWebhook(`${base}/telegram/webhook`, config.telegram.webhookSecret);
}

if (require.main === module) runApiProcesses('channel-api', startChannelApi);
