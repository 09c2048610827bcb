import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';

type EntityList = MixedList<Function>;

export function dataSourceOptions(databaseUrl: string, entities: EntityList, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // a connection idle for pg's default 10 s was closed, and with it the statements prepared and
    // planned on it: the first requests after a lull paid for new backends and new plans
    extra: { max: poolSize, idleTimeoutMillis: 5 * 60_000, application_name: 'placard' },
  };
}

export function createDataSource(databaseUrl: string, entities: EntityList, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, entities, poolSize));
}
