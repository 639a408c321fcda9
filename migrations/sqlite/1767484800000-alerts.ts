import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `alerts`, one row per alert event (DriftDetected, PerformanceDegraded, ChallengerRolledBack), newest first
 * by position. A part of the composite "read-models" projection, continuing from its checkpoint: earlier rollbacks
 * appear after `npm run rebuild`.
 */
export class Alerts1767484800000 implements MigrationInterface {
  readonly name = 'Alerts1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "alerts" (
        "alert_id" varchar(64) NOT NULL,
        "type" varchar(64) NOT NULL,
        "model" varchar(200),
        "version" varchar(200),
        "raised_at" datetime NOT NULL,
        "position" bigint NOT NULL,
        "summary" text NOT NULL,
        "data" text NOT NULL,
        CONSTRAINT "pk_alerts" PRIMARY KEY ("alert_id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_alerts_position" ON "alerts" ("position")`);
    await queryRunner.query(`CREATE INDEX "ix_alerts_type" ON "alerts" ("type", "position")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "alerts"`);
  }
}
