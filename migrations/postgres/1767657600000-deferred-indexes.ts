import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class DeferredIndexes1767657600000 implements MigrationInterface {
  readonly name = 'DeferredIndexes1767657600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${qualify(queryRunner)('read_model_deferred_indexes')} (
        "name" varchar(128) NOT NULL,
        "definition" text NOT NULL,
        CONSTRAINT "pk_read_model_deferred_indexes" PRIMARY KEY ("name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${qualify(queryRunner)('read_model_deferred_indexes')}`);
  }
}

function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}
