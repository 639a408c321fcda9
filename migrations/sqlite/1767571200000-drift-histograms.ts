import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `drift_binnings` (how each model version's traffic is counted) and `drift_windows` (per version and window
 * of decision time, the histograms of every feature and the score). Both belong to the composite "read-models"
 * projection, which continues from its checkpoint: decisions recorded before this migration are counted only after
 * `npm run rebuild`.
 */
export class DriftHistograms1767571200000 implements MigrationInterface {
  readonly name = 'DriftHistograms1767571200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "drift_binnings" (
        "model_name" varchar(64) NOT NULL,
        "model_version" varchar(64) NOT NULL,
        "kind" varchar(16) NOT NULL,
        "binning" text NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_drift_binnings" PRIMARY KEY ("model_name", "model_version")
      )`);
    await queryRunner.query(`
      CREATE TABLE "drift_windows" (
        "model_name" varchar(64) NOT NULL,
        "model_version" varchar(64) NOT NULL,
        "window_seconds" integer NOT NULL,
        "window_start" datetime NOT NULL,
        "decisions" integer NOT NULL,
        "histograms" text NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "pk_drift_windows" PRIMARY KEY ("model_name", "model_version", "window_seconds", "window_start")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "drift_windows"`);
    await queryRunner.query(`DROP TABLE "drift_binnings"`);
  }
}
