import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: the registry (`model_versions`), the deployment history (`deployment_history`, one row per deployment
 * event with the state it made), and the deciding arm on `decision_history`. The projections now run as one
 * composite ("read-models"); its checkpoint continues the old "decision-history" one: no model or deployment event
 * can exist before this version, so nothing is skipped.
 */
export class ModelsAndDeployments1767312000000 implements MigrationInterface {
  readonly name = 'ModelsAndDeployments1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "model_versions" (
        "name" varchar(64) NOT NULL,
        "version" varchar(64) NOT NULL,
        "sha256" varchar(64) NOT NULL,
        "served_sha256" varchar(64) NOT NULL,
        "size_bytes" bigint NOT NULL,
        "decides" boolean NOT NULL,
        "registered_at" datetime NOT NULL,
        "registered_by" varchar(200) NOT NULL,
        "retired_at" datetime,
        "retired_by" varchar(200),
        "retired_reason" text,
        "manifest" text NOT NULL,
        "signature" text NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_model_versions" PRIMARY KEY ("name", "version")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_model_versions_order" ON "model_versions" ("name", "position")`);
    await queryRunner.query(`
      CREATE TABLE "deployment_history" (
        "revision" integer NOT NULL,
        "type" varchar(64) NOT NULL,
        "at" datetime NOT NULL,
        "actor" varchar(200) NOT NULL,
        "reason" text NOT NULL,
        "automatic" boolean NOT NULL,
        "position" bigint NOT NULL,
        "event" text NOT NULL,
        "state" text NOT NULL,
        CONSTRAINT "pk_deployment_history" PRIMARY KEY ("revision"),
        CONSTRAINT "ck_deployment_history_revision" CHECK ("revision" > 0)
      )`);
    await queryRunner.query(`CREATE INDEX "ix_deployment_history_at" ON "deployment_history" ("at")`);
    await queryRunner.query(`ALTER TABLE "decision_history" ADD COLUMN "arm" varchar(16) NOT NULL DEFAULT 'champion'`);
    await queryRunner.query(`ALTER TABLE "decision_history" ADD COLUMN "deployment_revision" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_model" ON "decision_history" ("model_name", "model_version", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_arm" ON "decision_history" ("arm", "position" DESC)`);
    await queryRunner.query(`UPDATE "projection_checkpoint" SET "name" = 'read-models' WHERE "name" = 'decision-history'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "projection_checkpoint" SET "name" = 'decision-history' WHERE "name" = 'read-models'`);
    await queryRunner.query(`DROP INDEX "ix_decision_history_arm"`);
    await queryRunner.query(`DROP INDEX "ix_decision_history_model"`);
    await queryRunner.query(`ALTER TABLE "decision_history" DROP COLUMN "deployment_revision"`);
    await queryRunner.query(`ALTER TABLE "decision_history" DROP COLUMN "arm"`);
    await queryRunner.query(`DROP TABLE "deployment_history"`);
    await queryRunner.query(`DROP TABLE "model_versions"`);
  }
}
