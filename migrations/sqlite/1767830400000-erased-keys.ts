import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `decision_history.key_id` (a DecisionMade v4's `personal.keyId`) and `erased_subject_keys`, the keys that
 * SubjectErased destroyed, so that a decision sealed under an erased key but logged after the erasure is blanked too
 * (docs/security.md, "Erasure"). Rows projected before this migration keep a null key id: a rebuild fills it.
 */
export class ErasedKeys1767830400000 implements MigrationInterface {
  readonly name = 'ErasedKeys1767830400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decision_history" ADD COLUMN "key_id" varchar(64)`);
    await queryRunner.query(
      `CREATE TABLE "erased_subject_keys" ("key_id" varchar(64) NOT NULL, "position" bigint NOT NULL, CONSTRAINT "pk_erased_subject_keys" PRIMARY KEY ("key_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "erased_subject_keys"`);
    await queryRunner.query(`ALTER TABLE "decision_history" DROP COLUMN "key_id"`);
  }
}
