import 'reflect-metadata';
import { parseConfig } from '#libs/config';
import { createDataSource, ensureDatabase } from '#libs/database';
import { ALL_ENTITIES } from '#libs/marketplace';

/** Creates the database if it is missing and applies pending migrations. */
export async function migrate(databaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  await ensureDatabase(databaseUrl);
  const dataSource = createDataSource(databaseUrl, ALL_ENTITIES, 2);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    log(applied.length === 0 ? 'migrations: up to date' : `migrations: applied ${applied.map((migration) => migration.name).join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  const config = (() => {
    try {
      return parseConfig({ PLACARD_DEV: 'true', ...process.env });
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
  })();
  migrate(config.databaseUrl).catch((error) => {
    process.stderr.write(`migration failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
