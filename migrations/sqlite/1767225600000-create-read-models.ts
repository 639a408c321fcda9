import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite read models. `bigint` gets INTEGER affinity (exact 64-bit), `double precision` REAL, and timestamps are
 * stored as UTC text 'YYYY-MM-DD HH:MM:SS.SSS' (TypeORM's own format), which sorts in time order.
 */
export class CreateReadModels1767225600000 implements MigrationInterface {
  readonly name = 'CreateReadModels1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "decision_history" (
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
        "occurred_at" datetime NOT NULL,
        "decided_at" datetime NOT NULL,
        "recorded_at" datetime NOT NULL,
        CONSTRAINT "pk_decision_history" PRIMARY KEY ("decision_id"),
        CONSTRAINT "uq_decision_history_transaction_id" UNIQUE ("transaction_id"),
        CONSTRAINT "ck_decision_history_outcome" CHECK ("outcome" IN ('approve', 'review', 'decline')),
        CONSTRAINT "ck_decision_history_position" CHECK ("position" > 0)
      )`);
    // Every list query is "newest first" = position DESC, optionally narrowed by one equality filter.
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_decision_history_position" ON "decision_history" ("position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_card" ON "decision_history" ("card_id", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_customer" ON "decision_history" ("customer_id", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_merchant" ON "decision_history" ("merchant_id", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_outcome" ON "decision_history" ("outcome", "position" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_decision_history_decided_at" ON "decision_history" ("decided_at")`);
    await queryRunner.query(`
      CREATE TABLE "projection_checkpoint" (
        "name" varchar(200) NOT NULL,
        "position" bigint NOT NULL,
        "updated_at" datetime NOT NULL,
        CONSTRAINT "pk_projection_checkpoint" PRIMARY KEY ("name"),
        CONSTRAINT "ck_projection_checkpoint_position" CHECK ("position" >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "projection_checkpoint"`);
    await queryRunner.query(`DROP TABLE "decision_history"`);
  }
}
