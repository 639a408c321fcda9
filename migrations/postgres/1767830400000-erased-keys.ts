import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class ErasedKeys1767830400000 implements MigrationInterface {
  readonly name = 'ErasedKeys1767830400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} ADD COLUMN "key_id" varchar(64)`);
    await queryRunner.query(
      `CREATE TABLE ${t('erased_subject_keys')} ("key_id" varchar(64) NOT NULL, "position" bigint NOT NULL, CONSTRAINT "pk_erased_subject_keys" PRIMARY KEY ("key_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`DROP TABLE ${t('erased_subject_keys')}`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} DROP COLUMN "key_id"`);
  }
}

/** Hand-written SQL must name the configured schema itself; TypeORM only qualifies what it generates. */
function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}
