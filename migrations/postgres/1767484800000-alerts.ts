import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class Alerts1767484800000 implements MigrationInterface {
  readonly name = 'Alerts1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    const t = schema ? `"${schema}"."alerts"` : '"alerts"';
    await queryRunner.query(`
      CREATE TABLE ${t} (
        "alert_id" varchar(64) NOT NULL,
        "type" varchar(64) NOT NULL,
        "model" varchar(200),
        "version" varchar(200),
        "raised_at" timestamptz NOT NULL,
        "position" bigint NOT NULL,
        "summary" text NOT NULL,
        "data" jsonb NOT NULL,
        CONSTRAINT "pk_alerts" PRIMARY KEY ("alert_id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_alerts_position" ON ${t} ("position")`);
    await queryRunner.query(`CREATE INDEX "ix_alerts_type" ON ${t} ("type", "position")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    await queryRunner.query(`DROP TABLE ${schema ? `"${schema}"."alerts"` : '"alerts"'}`);
  }
}
