import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the entities cannot say: the journal is append-only and every entry balances per currency
 * (checked at commit, when all its lines are in); indexes for the catalog; the seeded formats.
 */
export class LedgerGuardsAndSeeds1795300000000 implements MigrationInterface {
  name = 'LedgerGuardsAndSeeds1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the journal is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['journal_entries', 'journal_lines']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION journal_is_append_only()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only()`,
      );
    }
    await queryRunner.query(`
      CREATE FUNCTION journal_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE unbalanced record;
      BEGIN
        SELECT currency, SUM(amount_minor) AS total INTO unbalanced
          FROM journal_lines WHERE entry_id = NEW.entry_id GROUP BY currency HAVING SUM(amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % does not balance in %: off by %', NEW.entry_id, unbalanced.currency, unbalanced.total
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balances()`);

    await queryRunner.query(`CREATE INDEX channels_topics ON channels USING gin (topic_ids) WHERE status = 'verified'`);
    await queryRunner.query(`CREATE INDEX channels_title_trgm ON channels USING gin (title gin_trgm_ops)`);

    await queryRunner.query(`
      INSERT INTO formats (code, top_minutes, feed_minutes, description) VALUES
        ('1/24', 60, 1440, 'first in the feed for 1 hour, kept 24 hours'),
        ('2/48', 120, 2880, 'first in the feed for 2 hours, kept 48 hours'),
        ('3/72', 180, 4320, 'first in the feed for 3 hours, kept 72 hours'),
        ('7d', 1440, 10080, 'first in the feed for 24 hours, kept 7 days')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM formats WHERE code IN ('1/24', '2/48', '3/72', '7d')`);
    await queryRunner.query(`DROP INDEX channels_title_trgm`);
    await queryRunner.query(`DROP INDEX channels_topics`);
    await queryRunner.query(`DROP TRIGGER journal_lines_balanced ON journal_lines`);
    await queryRunner.query(`DROP FUNCTION journal_entry_balances()`);
    for (const table of ['journal_entries', 'journal_lines']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION journal_is_append_only()`);
  }
}
