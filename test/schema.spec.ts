import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { LedgerAccounts, LedgerService } from '#libs/ledger';
import { pendingSchemaChanges } from '../scripts/db/schema-diff';
import { freshDatabase, type TestDatabase } from './support/database';

describe('the schema: migrations, entities and the ledger guards in the database', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await freshDatabase('placard_schema', 2);
    db = database.db;
  });
  afterAll(async () => database?.close());

  it('entities and migrations agree (a change to an entity needs a generated migration)', async () => {
    const { up } = await pendingSchemaChanges(db);
    expect(up, 'run `npm run migration:generate -- <name>` and add the migration to libs/database/migrations/index.ts').toEqual([]);
  });

  it('migrations go down and up again', async () => {
    for (let i = 0; i < db.migrations.length; i++) await db.undoLastMigration();
    expect(await db.query(`SELECT to_regclass('public.placements') AS t`)).toEqual([{ t: null }]);
    await db.runMigrations();
    expect((await pendingSchemaChanges(db)).up).toEqual([]);
  });

  it('carries stored profiles and prices over the migrations that split out the evidence, widen the score rows and copy the prices, and back', async () => {
    const evidence = [{ postId: randomUUID(), weight: 1, topics: [{ topic: 'crypto', score: 0.9 }], brandSafety: [] }];
    const profile = { language: 'ru', topics: [{ topic: 'crypto', score: 0.8 }, { topic: 'finance', score: 0.2 }], brandSafety: [{ category: 'gambling', score: 0.05 }], postCount: 9, computedAt: '2026-11-01T00:00:00.000Z' };
    // back to just before the match columns of channel_topic_scores (and topic_evidence after them)
    const applied = async (): Promise<string[]> => (await db.query(`SELECT name FROM migrations`)).map((row: { name: string }) => row.name);
    while ((await applied()).includes('TopicScoresMatchColumns1795321929895')) await db.undoLastMigration();
    const [owner] = await db.query(`INSERT INTO accounts (kind, email, name) VALUES ('owner', $1, 'Owner') RETURNING id`, [`${randomUUID()}@example.com`]);
    const [channel] = await db.query(
      `INSERT INTO channels (owner_id, handle, verification_code, status, subscribers, language, topic_profile) VALUES ($1, '@old', 'PLC-OLD', 'verified', 1234, 'ru', $2) RETURNING id`,
      [owner.id, JSON.stringify({ ...profile, evidence })],
    );
    await db.query(`INSERT INTO channel_topic_scores (channel_id, topic, score) VALUES ($1, 'crypto', 0.8), ($1, 'finance', 0.2), ($1, 'bs:gambling', 0.05)`, [channel.id]);
    await db.query(`INSERT INTO channel_prices (channel_id, format, price_minor, currency) VALUES ($1, '7d', 90000, 'USD'), ($1, '1/24', 1500, 'EUR')`, [channel.id]);
    await db.runMigrations();
    const [moved] = await db.query(`SELECT topic_profile, topic_evidence, pricing FROM channels WHERE id = $1`, [channel.id]);
    expect(moved).toEqual({
      topic_profile: profile,
      topic_evidence: evidence,
      pricing: [
        { format: '1/24', priceMinor: 1500, currency: 'EUR' },
        { format: '7d', priceMinor: 90000, currency: 'USD' },
      ],
    });
    const rows = await db.query(`SELECT topic, channel_verified, channel_subscribers, channel_language, brand_safety_max, shares FROM channel_topic_scores WHERE channel_id = $1 ORDER BY topic`, [channel.id]);
    const shares = { crypto: 0.8, finance: 0.2, 'bs:gambling': 0.05 };
    expect(rows).toEqual(['bs:gambling', 'crypto', 'finance'].map((topic) => ({ topic, channel_verified: true, channel_subscribers: 1234, channel_language: 'ru', brand_safety_max: 0.05, shares })));
    while ((await applied()).includes('TopicEvidenceColumn1795322260925')) await db.undoLastMigration();
    expect((await db.query(`SELECT topic_profile FROM channels WHERE id = $1`, [channel.id]))[0].topic_profile).toEqual({ ...profile, evidence });
    await db.runMigrations();
    await db.query(`DELETE FROM channels WHERE id = $1`, [channel.id]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the journal', async () => {
    const ledger = new LedgerService(db);
    const holder = randomUUID();
    await db.transaction((tx) =>
      ledger.post(tx, {
        kind: 'test',
        reference: `test:${holder}`,
        description: 'seed',
        lines: [
          { account: LedgerAccounts.external('sandbox', 'EUR'), amountMinor: -500 },
          { account: LedgerAccounts.advertiserAvailable(holder, 'EUR'), amountMinor: 500 },
        ],
      }),
    );
    await expect(db.query(`UPDATE journal_lines SET amount_minor = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM journal_entries`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE journal_lines CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('refuses an unbalanced entry at commit, and a duplicate reference', async () => {
    const entry = randomUUID();
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO journal_entries (id, kind, reference, description) VALUES ($1, 'test', $2, 'bad')`, [entry, `bad:${entry}`]);
        await tx.query(`INSERT INTO ledger_accounts (code, type, currency, non_negative) VALUES ('x:${entry}:EUR', 'external', 'EUR', false)`);
        await tx.query(`INSERT INTO journal_lines (entry_id, account_code, currency, amount_minor) VALUES ($1, $2, 'EUR', 100)`, [entry, `x:${entry}:EUR`]);
      }),
    ).rejects.toThrow(/does not balance/);
    const ledger = new LedgerService(db);
    const holder = randomUUID();
    const post = () =>
      db.transaction((tx) =>
        ledger.post(tx, {
          kind: 'test',
          reference: `once:${holder}`,
          description: 'once',
          lines: [
            { account: LedgerAccounts.external('sandbox', 'EUR'), amountMinor: -1 },
            { account: LedgerAccounts.advertiserAvailable(holder, 'EUR'), amountMinor: 1 },
          ],
        }),
      );
    await post();
    await expect(post()).rejects.toThrow(/duplicate key/);
  });

  it('refuses to take a non-negative account below zero', async () => {
    const ledger = new LedgerService(db);
    const holder = randomUUID();
    await expect(
      db.transaction((tx) =>
        ledger.post(tx, {
          kind: 'test',
          reference: `overdraw:${holder}`,
          description: 'overdraw',
          lines: [
            { account: LedgerAccounts.advertiserAvailable(holder, 'EUR'), amountMinor: -1 },
            { account: LedgerAccounts.escrow(holder, randomUUID(), 'EUR'), amountMinor: 1 },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_balance' });
    expect(await db.query(`SELECT count(*)::int AS n FROM journal_entries WHERE reference = $1`, [`overdraw:${holder}`])).toEqual([{ n: 0 }]);
  });
});
