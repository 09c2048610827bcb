import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated for the column, then completed by hand: a stored profile's evidence posts move out of
 * `topic_profile` into `topic_evidence`, so the profile that catalog cards and recommendations read is
 * small enough to stay inline in the row instead of being decompressed from TOAST.
 */
export class TopicEvidenceColumn1795322260925 implements MigrationInterface {
  name = 'TopicEvidenceColumn1795322260925';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" ADD "topic_evidence" jsonb`);
    await queryRunner.query(`
      UPDATE channels SET topic_evidence = topic_profile->'evidence', topic_profile = topic_profile - 'evidence'
       WHERE topic_profile ? 'evidence'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE channels SET topic_profile = topic_profile || jsonb_build_object('evidence', topic_evidence)
       WHERE topic_profile IS NOT NULL AND topic_evidence IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "topic_evidence"`);
  }
}
