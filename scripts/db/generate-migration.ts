/**
 * Writes a migration with the difference between the entities and the migrated schema, like
 * `typeorm migration:generate`: `npm run migration:generate -- kebab-name`.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, dropDatabase, ensureDatabase } from '#libs/database';
import { ALL_ENTITIES } from '#libs/marketplace';
import { pendingSchemaChanges } from './schema-diff';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new Error('usage: generate-migration <kebab-case-name>');
  const url = process.env.MIGRATION_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/placard_migration_scratch';
  await dropDatabase(url);
  await ensureDatabase(url);
  const dataSource = createDataSource(url, ALL_ENTITIES, 2);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    // down queries undo the up queries, so they run in reverse order (as TypeORM's own CLI writes them)
    const { up, down } = await pendingSchemaChanges(dataSource);
    if (up.length === 0) {
      console.log('entities and migrations agree: nothing to generate');
      return;
    }
    const timestamp = Date.now();
    const className = name.replace(/(^|-)([a-z0-9])/g, (_, __, char: string) => char.toUpperCase()) + timestamp;
    const quote = (sql: string): string => '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const body = (queries: string[]): string => queries.map((sql) => `    await queryRunner.query(${quote(sql)});`).join('\n');
    const file = join(__dirname, '../../libs/database/migrations', `${timestamp}-${name}.ts`);
    writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
        `export class ${className} implements MigrationInterface {\n  name = '${className}';\n\n` +
        `  async up(queryRunner: QueryRunner): Promise<void> {\n${body(up)}\n  }\n\n` +
        `  async down(queryRunner: QueryRunner): Promise<void> {\n${body([...down].reverse())}\n  }\n}\n`,
    );
    console.log(`wrote ${file}; add ${className} to libs/database/migrations/index.ts`);
  } finally {
    await dataSource.destroy();
    await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
