import 'reflect-metadata';
import { runApiProcesses, startHttpApi } from '#libs/http';
import { AdvertiserApiModule } from './advertiser-api.module';

export async function startAdvertiserApi(port?: number) {
  const { app, url } = await startHttpApi(
    AdvertiserApiModule,
    {
      name: 'advertiser-api',
      title: 'Placard advertiser API',
      description: 'Catalog, campaigns, creatives, placements, balance and delivery reports for advertisers.',
      port: (config) => config.ports.advertiserApi,
    },
    port,
  );
  return { app, url };
}

if (require.main === module) runApiProcesses('advertiser-api', startAdvertiserApi);
