import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `decision_history.subject_ref`, the data subject of a DecisionMade v4 (its `personal.subject`), so that a
 * SubjectErased can blank the subject's rows (docs/security.md, "Erasure"). Null for decisions with nothing personal
 * and for versions 1–3.
 */
export class SubjectRefs1767744000000 implements MigrationInterface {
  readonly name = 'SubjectRefs1767744000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decision_history" ADD COLUMN "subject_ref" varchar(64)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_subject" ON "decision_history" ("subject_ref")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_decision_history_subject"`);
    await queryRunner.query(`ALTER TABLE "decision_history" DROP COLUMN "subject_ref"`);
  }
}
