import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL counterpart of the SQLite migration of the same name (see there). */
export class LabelsAndReviews1767398400000 implements MigrationInterface {
  readonly name = 'LabelsAndReviews1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${t('transaction_labels')} (
        "transaction_id" varchar(128) NOT NULL,
        "label_id" varchar(128) NOT NULL,
        "decision_id" varchar(64) NOT NULL,
        "label" varchar(16) NOT NULL,
        "source" varchar(32) NOT NULL,
        "reported_at" timestamptz NOT NULL,
        "amount" double precision,
        "note" text,
        "recorded_by" varchar(200) NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_transaction_labels" PRIMARY KEY ("transaction_id", "label_id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_transaction_labels_position" ON ${t('transaction_labels')} ("position")`);
    await queryRunner.query(`CREATE INDEX "ix_transaction_labels_reported" ON ${t('transaction_labels')} ("transaction_id", "reported_at", "position")`);
    await queryRunner.query(`
      CREATE TABLE ${t('review_queue')} (
        "decision_id" varchar(64) NOT NULL,
        "transaction_id" varchar(128) NOT NULL,
        "position" bigint NOT NULL,
        "score" double precision NOT NULL,
        "decided_at" timestamptz NOT NULL,
        "claimed_by" varchar(200),
        "claimed_at" timestamptz,
        "claim_expires_at" timestamptz,
        "resolution" varchar(16),
        "resolved_by" varchar(200),
        "resolved_at" timestamptz,
        "note" text,
        CONSTRAINT "pk_review_queue" PRIMARY KEY ("decision_id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_review_queue_score" ON ${t('review_queue')} ("resolved_at", "score", "position")`);
    await queryRunner.query(`CREATE INDEX "ix_review_queue_age" ON ${t('review_queue')} ("resolved_at", "position")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = qualify(queryRunner);
    await queryRunner.query(`DROP TABLE ${t('review_queue')}`);
    await queryRunner.query(`DROP TABLE ${t('transaction_labels')}`);
  }
}

function qualify(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
}
