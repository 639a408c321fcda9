import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: `decision_history` without its UNIQUE constraint on `transaction_id`. It was redundant: the decision id,
 * the primary key, is derived from the transaction id (uuidV5 of it), and the log holds one DecisionMade per
 * transaction anyway (its stream is created only once). No query looks rows up by transaction id, so its index was
 * only written: a random key in every row, one of the projection's dearest writes (docs/benchmarks.md).
 *
 * SQLite cannot drop a table constraint: the table is made again without it (the usual rebuild: new table, copy,
 * drop, rename), with every column later migrations added, and its indexes made again. On a large read model this
 * copies the table once.
 */
export class TransactionIdNotUnique1767916800000 implements MigrationInterface {
  readonly name = 'TransactionIdNotUnique1767916800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rebuild(queryRunner, false);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rebuild(queryRunner, true);
  }
}

const COLUMNS = [
  'decision_id', 'transaction_id', 'stream_id', 'position', 'card_id', 'customer_id', 'merchant_id', 'amount', 'currency', 'channel',
  'country', 'outcome', 'score', 'model_name', 'model_version', 'model_sha256', 'policy_version', 'occurred_at', 'decided_at',
  'recorded_at', 'arm', 'deployment_revision', 'subject_ref', 'key_id',
].map((c) => `"${c}"`).join(', ');

/** The indexes of decision_history as migrations 1767225600000 to 1767744000000 made them. */
const INDEXES = [
  `CREATE UNIQUE INDEX "ux_decision_history_position" ON "decision_history" ("position" DESC)`,
  `CREATE INDEX "ix_decision_history_card" ON "decision_history" ("card_id", "position" DESC)`,
  `CREATE INDEX "ix_decision_history_customer" ON "decision_history" ("customer_id", "position" DESC)`,
  `CREATE INDEX "ix_decision_history_merchant" ON "decision_history" ("merchant_id", "position" DESC)`,
  `CREATE INDEX "ix_decision_history_outcome" ON "decision_history" ("outcome", "position" DESC)`,
  `CREATE INDEX "ix_decision_history_decided_at" ON "decision_history" ("decided_at")`,
  `CREATE INDEX "ix_decision_history_model" ON "decision_history" ("model_name", "model_version", "position" DESC)`,
  `CREATE INDEX "ix_decision_history_arm" ON "decision_history" ("arm", "position" DESC)`,
  `CREATE INDEX "ix_decision_history_subject" ON "decision_history" ("subject_ref")`,
];

async function rebuild(queryRunner: QueryRunner, uniqueTransactionId: boolean): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "decision_history_rebuilt" (
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
      "arm" varchar(16) NOT NULL DEFAULT 'champion',
      "deployment_revision" integer NOT NULL DEFAULT 0,
      "subject_ref" varchar(64),
      "key_id" varchar(64),
      CONSTRAINT "pk_decision_history" PRIMARY KEY ("decision_id"),${uniqueTransactionId ? `\n      CONSTRAINT "uq_decision_history_transaction_id" UNIQUE ("transaction_id"),` : ''}
      CONSTRAINT "ck_decision_history_outcome" CHECK ("outcome" IN ('approve', 'review', 'decline')),
      CONSTRAINT "ck_decision_history_position" CHECK ("position" > 0)
    )`);
  await queryRunner.query(`INSERT INTO "decision_history_rebuilt" (${COLUMNS}) SELECT ${COLUMNS} FROM "decision_history" ORDER BY "position"`);
  await queryRunner.query(`DROP TABLE "decision_history"`);
  await queryRunner.query(`ALTER TABLE "decision_history_rebuilt" RENAME TO "decision_history"`);
  for (const index of INDEXES) await queryRunner.query(index);
}
