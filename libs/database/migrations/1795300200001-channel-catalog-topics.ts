import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChannelCatalogTopics1795300200001 implements MigrationInterface {
  name = 'ChannelCatalogTopics1795300200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "channel_catalog_topics" ("channel_id" uuid NOT NULL, "topic" text NOT NULL, "subscribers" integer NOT NULL, CONSTRAINT "PK_b6cf86ba81b53b9da00d0dff985" PRIMARY KEY ("channel_id", "topic"))`);
    await queryRunner.query(`CREATE INDEX "channel_catalog_topics_order" ON "channel_catalog_topics"  ("topic", "subscribers", "channel_id") `);
    await queryRunner.query(`ALTER TABLE "channel_catalog_topics" ADD CONSTRAINT "FK_db55721389fec45d58bd9395b2b" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channel_catalog_topics" DROP CONSTRAINT "FK_db55721389fec45d58bd9395b2b"`);
    await queryRunner.query(`DROP INDEX "public"."channel_catalog_topics_order"`);
    await queryRunner.query(`DROP TABLE "channel_catalog_topics"`);
  }
}
