import { MigrationInterface, QueryRunner } from 'typeorm';

export class Extensions1763750000000 implements MigrationInterface {
  name = 'Extensions1763750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // btree_gist: the exclusion constraint that sells a slot once; pg_trgm: catalog text search
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
  }

  async down(): Promise<void> {
    // extensions may be shared with other schemas: leave them
  }
}
