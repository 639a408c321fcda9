import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class SubjectRefs1767744000000 implements MigrationInterface {
  readonly name = 'SubjectRefs1767744000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} ADD COLUMN "subject_ref" varchar(64)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_subject" ON ${t('decision_history')} ("subject_ref")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`DROP INDEX ${schemaPrefix(queryRunner)}"ix_decision_history_subject"`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} DROP COLUMN "subject_ref"`);
  }
}

/** Hand-written SQL must name the configured schema itself; TypeORM only qualifies what it generates. */
function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}

function schemaPrefix(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}".` : '';
}
