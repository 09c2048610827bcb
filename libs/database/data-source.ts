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
    extra: { max: poolSize, application_name: 'placard' },
  };
}

export function createDataSource(databaseUrl: string, entities: EntityList, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, entities, poolSize));
}
