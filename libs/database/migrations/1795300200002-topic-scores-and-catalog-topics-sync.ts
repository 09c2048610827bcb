import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: fills channel_topic_scores from the profiles already stored on channels (from then
 * on ProfilesService writes them with the profile), and keeps channel_catalog_topics in step with
 * channels.status, subscribers and topic_ids by a trigger, whoever writes them.
 */
export class TopicScoresAndCatalogTopicsSync1795300200002 implements MigrationInterface {
  name = 'TopicScoresAndCatalogTopicsSync1795300200002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO channel_topic_scores (channel_id, topic, score)
      SELECT c.id, t.topic, t.score
        FROM channels c
        CROSS JOIN LATERAL (
          SELECT e->>'topic' AS topic, (e->>'score')::float8 AS score FROM jsonb_array_elements(c.topic_profile->'topics') e
          UNION ALL
          SELECT 'bs:' || (e->>'category'), (e->>'score')::float8 FROM jsonb_array_elements(c.topic_profile->'brandSafety') e
        ) t
       WHERE c.topic_profile IS NOT NULL AND t.score > 0
      ON CONFLICT (channel_id, topic) DO UPDATE SET score = EXCLUDED.score`);
    await queryRunner.query(`
      CREATE FUNCTION channel_catalog_topics_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.subscribers IS NOT DISTINCT FROM OLD.subscribers
             AND NEW.topic_ids IS NOT DISTINCT FROM OLD.topic_ids THEN
            RETURN NULL;
          END IF;
          DELETE FROM channel_catalog_topics WHERE channel_id = OLD.id;
        END IF;
        IF NEW.status = 'verified' THEN
          INSERT INTO channel_catalog_topics (channel_id, topic, subscribers)
          SELECT DISTINCT NEW.id, t, NEW.subscribers FROM unnest(NEW.topic_ids) t;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER channels_catalog_topics AFTER INSERT OR UPDATE OF status, subscribers, topic_ids ON channels
        FOR EACH ROW EXECUTE FUNCTION channel_catalog_topics_sync()`);
    await queryRunner.query(`
      INSERT INTO channel_catalog_topics (channel_id, topic, subscribers)
      SELECT DISTINCT c.id, t, c.subscribers FROM channels c CROSS JOIN LATERAL unnest(c.topic_ids) t WHERE c.status = 'verified'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER channels_catalog_topics ON channels`);
    await queryRunner.query(`DROP FUNCTION channel_catalog_topics_sync()`);
    await queryRunner.query(`DELETE FROM channel_catalog_topics`);
    await queryRunner.query(`DELETE FROM channel_topic_scores`);
  }
}
