import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `transaction_labels` (one row per TransactionLabelled: every label is kept, "as known at" queries pick the
 * one in force) and `review_queue` (one row per decision with outcome review, with its claim and resolution). Both are
 * parts of the composite "read-models" projection, which continues from its checkpoint: labels and reviews could not
 * be recorded through the API before this version (hand-appended labels need `npm run rebuild`).
 */
export class LabelsAndReviews1767398400000 implements MigrationInterface {
  readonly name = 'LabelsAndReviews1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "transaction_labels" (
        "transaction_id" varchar(128) NOT NULL,
        "label_id" varchar(128) NOT NULL,
        "decision_id" varchar(64) NOT NULL,
        "label" varchar(16) NOT NULL,
        "source" varchar(32) NOT NULL,
        "reported_at" datetime NOT NULL,
        "amount" double precision,
        "note" text,
        "recorded_by" varchar(200) NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_transaction_labels" PRIMARY KEY ("transaction_id", "label_id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_transaction_labels_position" ON "transaction_labels" ("position")`);
    await queryRunner.query(`CREATE INDEX "ix_transaction_labels_reported" ON "transaction_labels" ("transaction_id", "reported_at", "position")`);
    await queryRunner.query(`
      CREATE TABLE "review_queue" (
        "decision_id" varchar(64) NOT NULL,
        "transaction_id" varchar(128) NOT NULL,
        "position" bigint NOT NULL,
        "score" double precision NOT NULL,
        "decided_at" datetime NOT NULL,
        "claimed_by" varchar(200),
        "claimed_at" datetime,
        "claim_expires_at" datetime,
        "resolution" varchar(16),
        "resolved_by" varchar(200),
        "resolved_at" datetime,
        "note" text,
        CONSTRAINT "pk_review_queue" PRIMARY KEY ("decision_id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_review_queue_score" ON "review_queue" ("resolved_at", "score", "position")`);
    await queryRunner.query(`CREATE INDEX "ix_review_queue_age" ON "review_queue" ("resolved_at", "position")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "review_queue"`);
    await queryRunner.query(`DROP TABLE "transaction_labels"`);
  }
}
