import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated for the new column, then completed by hand: `channels.pricing` is filled from the
 * channel_prices rows, and statement-level triggers on channel_prices keep it in step with them,
 * whoever writes them, once per statement for all the channels it touched.
 */
export class ChannelPricingColumn1795330406811 implements MigrationInterface {
  name = 'ChannelPricingColumn1795330406811';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" ADD "pricing" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`
      CREATE FUNCTION channel_pricing_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE channels c
           SET pricing = coalesce((SELECT jsonb_agg(jsonb_build_object('format', p.format, 'priceMinor', p.price_minor, 'currency', p.currency) ORDER BY p.format)
                                     FROM channel_prices p WHERE p.channel_id = c.id), '[]')
         WHERE c.id IN (SELECT DISTINCT channel_id FROM changed_prices);
        RETURN NULL;
      END $$`);
    // a trigger with transition tables fires for one event; an update can move a price between channels
    await queryRunner.query(`CREATE TRIGGER channel_prices_inserted AFTER INSERT ON channel_prices REFERENCING NEW TABLE AS changed_prices FOR EACH STATEMENT EXECUTE FUNCTION channel_pricing_sync()`);
    await queryRunner.query(`CREATE TRIGGER channel_prices_updated_from AFTER UPDATE ON channel_prices REFERENCING OLD TABLE AS changed_prices FOR EACH STATEMENT EXECUTE FUNCTION channel_pricing_sync()`);
    await queryRunner.query(`CREATE TRIGGER channel_prices_updated_to AFTER UPDATE ON channel_prices REFERENCING NEW TABLE AS changed_prices FOR EACH STATEMENT EXECUTE FUNCTION channel_pricing_sync()`);
    await queryRunner.query(`CREATE TRIGGER channel_prices_deleted AFTER DELETE ON channel_prices REFERENCING OLD TABLE AS changed_prices FOR EACH STATEMENT EXECUTE FUNCTION channel_pricing_sync()`);
    await queryRunner.query(`
      UPDATE channels c
         SET pricing = agg.pricing
        FROM (SELECT channel_id, jsonb_agg(jsonb_build_object('format', format, 'priceMinor', price_minor, 'currency', currency) ORDER BY format) AS pricing
                FROM channel_prices GROUP BY channel_id) agg
       WHERE agg.channel_id = c.id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER channel_prices_deleted ON channel_prices`);
    await queryRunner.query(`DROP TRIGGER channel_prices_updated_to ON channel_prices`);
    await queryRunner.query(`DROP TRIGGER channel_prices_updated_from ON channel_prices`);
    await queryRunner.query(`DROP TRIGGER channel_prices_inserted ON channel_prices`);
    await queryRunner.query(`DROP FUNCTION channel_pricing_sync()`);
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "pricing"`);
  }
}
