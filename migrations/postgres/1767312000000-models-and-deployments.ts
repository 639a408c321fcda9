import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class ModelsAndDeployments1767312000000 implements MigrationInterface {
  readonly name = 'ModelsAndDeployments1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${t('model_versions')} (
        "name" varchar(64) NOT NULL,
        "version" varchar(64) NOT NULL,
        "sha256" varchar(64) NOT NULL,
        "served_sha256" varchar(64) NOT NULL,
        "size_bytes" bigint NOT NULL,
        "decides" boolean NOT NULL,
        "registered_at" timestamptz NOT NULL,
        "registered_by" varchar(200) NOT NULL,
        "retired_at" timestamptz,
        "retired_by" varchar(200),
        "retired_reason" text,
        "manifest" jsonb NOT NULL,
        "signature" jsonb NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_model_versions" PRIMARY KEY ("name", "version")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_model_versions_order" ON ${t('model_versions')} ("name", "position")`);
    await queryRunner.query(`
      CREATE TABLE ${t('deployment_history')} (
        "revision" integer NOT NULL,
        "type" varchar(64) NOT NULL,
        "at" timestamptz NOT NULL,
        "actor" varchar(200) NOT NULL,
        "reason" text NOT NULL,
        "automatic" boolean NOT NULL,
        "position" bigint NOT NULL,
        "event" jsonb NOT NULL,
        "state" jsonb NOT NULL,
        CONSTRAINT "pk_deployment_history" PRIMARY KEY ("revision"),
        CONSTRAINT "ck_deployment_history_revision" CHECK ("revision" > 0)
      )`);
    await queryRunner.query(`CREATE INDEX "ix_deployment_history_at" ON ${t('deployment_history')} ("at")`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} ADD COLUMN "arm" varchar(16) NOT NULL DEFAULT 'champion'`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} ADD COLUMN "deployment_revision" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} ADD CONSTRAINT "ck_decision_history_arm" CHECK ("arm" IN ('champion', 'challenger'))`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_model" ON ${t('decision_history')} ("model_name", "model_version", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_arm" ON ${t('decision_history')} ("arm", "position" DESC)`);
    await queryRunner.query(`UPDATE ${t('projection_checkpoint')} SET "name" = 'read-models' WHERE "name" = 'decision-history'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`UPDATE ${t('projection_checkpoint')} SET "name" = 'decision-history' WHERE "name" = 'read-models'`);
    await queryRunner.query(`DROP INDEX ${schemaPrefix(queryRunner)}"ix_decision_history_arm"`);
    await queryRunner.query(`DROP INDEX ${schemaPrefix(queryRunner)}"ix_decision_history_model"`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} DROP CONSTRAINT "ck_decision_history_arm"`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} DROP COLUMN "deployment_revision"`);
    await queryRunner.query(`ALTER TABLE ${t('decision_history')} DROP COLUMN "arm"`);
    await queryRunner.query(`DROP TABLE ${t('deployment_history')}`);
    await queryRunner.query(`DROP TABLE ${t('model_versions')}`);
  }
}

function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}

function schemaPrefix(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}".` : '';
}
