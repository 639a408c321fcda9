import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `read_model_deferred_indexes`, the secondary indexes a rebuild has dropped and not yet built again. Kept in
 * a table so that a rebuild that dies half-way does not leave the read models without them: the next open of the
 * read models builds whatever is listed (libs/read-models/src/rebuild/deferred-indexes.ts).
 */
export class DeferredIndexes1767657600000 implements MigrationInterface {
  readonly name = 'DeferredIndexes1767657600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "read_model_deferred_indexes" (
        "name" varchar(128) NOT NULL,
        "definition" text NOT NULL,
        CONSTRAINT "pk_read_model_deferred_indexes" PRIMARY KEY ("name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "read_model_deferred_indexes"`);
  }
}
