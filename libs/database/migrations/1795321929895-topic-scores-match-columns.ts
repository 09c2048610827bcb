import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated for the new columns, then completed by hand: the columns are filled from the channels
 * and their rows, the partial covering index replaces (topic, score, channel_id), and a trigger keeps
 * the channel's status, subscribers and language in step on its rows, whoever writes them.
 */
export class TopicScoresMatchColumns1795321929895 implements MigrationInterface {
  name = 'TopicScoresMatchColumns1795321929895';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."channel_topic_scores_rank"`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" ADD "channel_verified" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" ADD "channel_subscribers" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" ADD "channel_language" text`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" ADD "brand_safety_max" double precision NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" ADD "shares" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      UPDATE channel_topic_scores s
         SET channel_verified = c.status = 'verified', channel_subscribers = c.subscribers, channel_language = c.language,
             brand_safety_max = agg.brand_safety_max, shares = agg.shares
        FROM channels c,
             (SELECT channel_id, jsonb_object_agg(topic, score) AS shares,
                     coalesce(max(score) FILTER (WHERE left(topic, 3) = 'bs:'), 0) AS brand_safety_max
                FROM channel_topic_scores GROUP BY channel_id) agg
       WHERE c.id = s.channel_id AND agg.channel_id = s.channel_id`);
    await queryRunner.query(`
      CREATE INDEX "channel_topic_scores_match" ON "channel_topic_scores" ("topic", "score" DESC)
        INCLUDE ("channel_id", "channel_subscribers", "channel_language", "brand_safety_max", "shares")
        WHERE "channel_verified"`);
    await queryRunner.query(`
      CREATE FUNCTION channel_topic_scores_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE channel_topic_scores
           SET channel_verified = NEW.status = 'verified', channel_subscribers = NEW.subscribers, channel_language = NEW.language
         WHERE channel_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER channels_topic_scores AFTER UPDATE OF status, subscribers, language ON channels
        FOR EACH ROW
        WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.subscribers IS DISTINCT FROM OLD.subscribers OR NEW.language IS DISTINCT FROM OLD.language)
        EXECUTE FUNCTION channel_topic_scores_sync()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER channels_topic_scores ON channels`);
    await queryRunner.query(`DROP FUNCTION channel_topic_scores_sync()`);
    await queryRunner.query(`DROP INDEX "public"."channel_topic_scores_match"`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" DROP COLUMN "shares"`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" DROP COLUMN "brand_safety_max"`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" DROP COLUMN "channel_language"`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" DROP COLUMN "channel_subscribers"`);
    await queryRunner.query(`ALTER TABLE "channel_topic_scores" DROP COLUMN "channel_verified"`);
    await queryRunner.query(`CREATE INDEX "channel_topic_scores_rank" ON "channel_topic_scores" ("topic", "score", "channel_id")`);
  }
}
