import { MigrationInterface, QueryRunner } from 'typeorm';

const COPY_PRICES = `
        UPDATE channels c
           SET pricing = coalesce((SELECT jsonb_agg(jsonb_build_object('format', p.format, 'priceMinor', p.price_minor, 'currency', p.currency) ORDER BY p.format)
                                     FROM channel_prices p WHERE p.channel_id = c.id), '[]')
         WHERE c.id IN (SELECT DISTINCT channel_id FROM changed_prices);`;

/**
 * Written by hand: the copy of a channel's prices could lose a price. Two transactions writing
 * different prices of one channel each ran the trigger's UPDATE; the second waited for the first's
 * row lock and then wrote the list as its own snapshot saw it, without the first's price. The
 * trigger now locks the channels first, so that its UPDATE, a statement of its own, reads the prices
 * as they are once the other transaction has committed.
 */
export class ChannelPricingSyncLocks1795335682463 implements MigrationInterface {
  name = 'ChannelPricingSyncLocks1795335682463';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION channel_pricing_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM channels WHERE id IN (SELECT DISTINCT channel_id FROM changed_prices) ORDER BY id FOR NO KEY UPDATE;${COPY_PRICES}
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION channel_pricing_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${COPY_PRICES}
        RETURN NULL;
      END $$`);
  }
}
