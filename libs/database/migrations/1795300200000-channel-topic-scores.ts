import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChannelTopicScores1795300200000 implements MigrationInterface {
  name = 'ChannelTopicScores1795300200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "channel_topic_scores" ("channel_id" uuid NOT NULL, "topic" text NOT NULL, "score" double precision NOT NULL, CONSTRAINT "PK_3e342242270ba5fd9748a7f98d9" PRIMARY KEY ("channel_id", "topic"))`);
    await queryRunner.query(`CREATE INDEX "channel_topic_scores_rank" ON "channel_topic_scores"  ("topic", "score", "channel_id") `);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" ADD CONSTRAINT "FK_5b2f70b4bd95a1f23d7f19d1ab7" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" DROP CONSTRAINT "FK_5b2f70b4bd95a1f23d7f19d1ab7"`);
    await queryRunner.query(`DROP INDEX "public"."channel_topic_scores_rank"`);
    await queryRunner.query(`DROP TABLE "channel_topic_scores"`);
  }
}
