import { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated: the API's limit of 10 topics per campaign, now also the schema's (the recommendation statement relies on it). */
export class CampaignTopicsLimit1795330831684 implements MigrationInterface {
  name = 'CampaignTopicsLimit1795330831684';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_topics_limit" CHECK (cardinality(topics) <= 10)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_topics_limit"`);
  }
}
