import 'reflect-metadata';
import { parseConfig } from '#libs/config';
import { createHttpApp, exitOnStartupError, listen } from '#libs/http';
import { ChannelApiModule } from './channel-api.module';

export async function startChannelApi(port?: number) {
  const config = parseConfig();
  const { app, logger } = await createHttpApp(ChannelApiModule, {
    name: 'channel-api',
    title: 'Placard channel API',
    description: 'Channels, verification, pricing, offers and earnings for channel owners; the Telegram webhook.',
  });
  const url = await listen(app, port ?? config.ports.channelApi);
  logger.info({ url }, 'channel API listening');
  return { app, url };
}

if (require.main === module) startChannelApi().catch(exitOnStartupError);
