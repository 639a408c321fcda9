import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class DriftHistograms1767571200000 implements MigrationInterface {
  readonly name = 'DriftHistograms1767571200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${t('drift_binnings')} (
        "model_name" varchar(64) NOT NULL,
        "model_version" varchar(64) NOT NULL,
        "kind" varchar(16) NOT NULL,
        "binning" text NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_drift_binnings" PRIMARY KEY ("model_name", "model_version")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${t('drift_windows')} (
        "model_name" varchar(64) NOT NULL,
        "model_version" varchar(64) NOT NULL,
        "window_seconds" integer NOT NULL,
        "window_start" timestamptz NOT NULL,
        "decisions" integer NOT NULL,
        "histograms" text NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "pk_drift_windows" PRIMARY KEY ("model_name", "model_version", "window_seconds", "window_start")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`DROP TABLE ${t('drift_windows')}`);
    await queryRunner.query(`DROP TABLE ${t('drift_binnings')}`);
  }
}

function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}
