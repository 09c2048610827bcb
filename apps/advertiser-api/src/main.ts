import 'reflect-metadata';
import { parseConfig } from '#libs/config';
import { createHttpApp, exitOnStartupError, listen } from '#libs/http';
import { AdvertiserApiModule } from './advertiser-api.module';

export async function startAdvertiserApi(port?: number) {
  const config = parseConfig();
  const { app, logger } = await createHttpApp(AdvertiserApiModule, {
    name: 'advertiser-api',
    title: 'Placard advertiser API',
    description: 'Catalog, campaigns, creatives, placements, balance and delivery reports for advertisers.',
    rawBody: true, // the Stripe webhook's signature covers the raw body
  });
  const url = await listen(app, port ?? config.ports.advertiserApi);
  logger.info({ url }, 'advertiser API listening');
  return { app, url };
}

if (require.main === module) startAdvertiserApi().catch(exitOnStartupError);
