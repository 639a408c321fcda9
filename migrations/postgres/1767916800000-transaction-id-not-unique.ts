import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there): the constraint and its index go. */
export class TransactionIdNotUnique1767916800000 implements MigrationInterface {
  readonly name = 'TransactionIdNotUnique1767916800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${qualify(queryRunner)('decision_history')} DROP CONSTRAINT "uq_decision_history_transaction_id"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${qualify(queryRunner)('decision_history')} ADD CONSTRAINT "uq_decision_history_transaction_id" UNIQUE ("transaction_id")`);
  }
}

/** Hand-written SQL must name the configured schema itself; TypeORM only qualifies what it generates. */
function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}
