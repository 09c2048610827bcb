/**
 * Creates an operator account and prints its API key once (operator keys open `/v1/admin/…` on the
 * channel API): `npm run operator:create -- ops@example.com "Operations"`.
 */
import 'reflect-metadata';
import { parseConfig } from '#libs/config';
import { createDataSource } from '#libs/database';
import { ALL_ENTITIES, AccountsService } from '#libs/marketplace';

async function main(): Promise<void> {
  const [email, name = 'Operator'] = process.argv.slice(2);
  if (!email || !email.includes('@')) throw new Error('usage: npm run operator:create -- <email> [name]');
  const config = parseConfig({ PLACARD_DEV: 'true', ...process.env });
  const dataSource = createDataSource(config.databaseUrl, ALL_ENTITIES, 1);
  await dataSource.initialize();
  try {
    const { account, apiKey } = await new AccountsService(dataSource).createAccount('operator', email, name);
    process.stdout.write(`operator ${account.id} (${account.email})\napi key (shown once): ${apiKey}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`operator:create failed: ${error.message}\n`);
  process.exit(1);
});
