import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL read models, created in the DataSource's schema (the caller creates the schema itself). */
export class CreateReadModels1767225600000 implements MigrationInterface {
  readonly name = 'CreateReadModels1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${t('decision_history')} (
        "decision_id" varchar(64) NOT NULL,
        "transaction_id" varchar(128) NOT NULL,
        "stream_id" varchar(160) NOT NULL,
        "position" bigint NOT NULL,
        "card_id" varchar(128) NOT NULL,
        "customer_id" varchar(128),
        "merchant_id" varchar(128) NOT NULL,
        "amount" double precision NOT NULL,
        "currency" varchar(3) NOT NULL,
        "channel" varchar(8),
        "country" varchar(2),
        "outcome" varchar(16) NOT NULL,
        "score" double precision NOT NULL,
        "model_name" varchar(200) NOT NULL,
        "model_version" varchar(200) NOT NULL,
        "model_sha256" varchar(64) NOT NULL,
        "policy_version" varchar(200) NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "decided_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL,
        CONSTRAINT "pk_decision_history" PRIMARY KEY ("decision_id"),
        CONSTRAINT "uq_decision_history_transaction_id" UNIQUE ("transaction_id"),
        CONSTRAINT "ck_decision_history_outcome" CHECK ("outcome" IN ('approve', 'review', 'decline')),
        CONSTRAINT "ck_decision_history_position" CHECK ("position" > 0)
      )`);
    // Every list query is "newest first" = position DESC, optionally narrowed by one equality filter.
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_decision_history_position" ON ${t('decision_history')} ("position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_card" ON ${t('decision_history')} ("card_id", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_customer" ON ${t('decision_history')} ("customer_id", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_merchant" ON ${t('decision_history')} ("merchant_id", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_outcome" ON ${t('decision_history')} ("outcome", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_decided_at" ON ${t('decision_history')} ("decided_at")`);
    await queryRunner.query(`
      CREATE TABLE ${t('projection_checkpoint')} (
        "name" varchar(200) NOT NULL,
        "position" bigint NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "pk_projection_checkpoint" PRIMARY KEY ("name"),
        CONSTRAINT "ck_projection_checkpoint_position" CHECK ("position" >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`DROP TABLE ${t('projection_checkpoint')}`);
    await queryRunner.query(`DROP TABLE ${t('decision_history')}`);
  }
}

/** Hand-written SQL must name the configured schema itself; TypeORM only qualifies what it generates. */
function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}
