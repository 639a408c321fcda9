import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/**
 * One row per DecisionMade event: what lists and filters need, nothing an audit needs (that is the event itself).
 * The schema is owned by the migrations in /migrations; these decorators only describe it to TypeORM.
 * `type: Date` maps to the dialect's timestamp (the migrations use timestamptz on PostgreSQL).
 */
@Entity({ name: 'decision_history' })
@Index('ux_decision_history_position', ['position'], { unique: true })
@Index('ix_decision_history_card', ['cardId', 'position'])
@Index('ix_decision_history_customer', ['customerId', 'position'])
@Index('ix_decision_history_merchant', ['merchantId', 'position'])
@Index('ix_decision_history_outcome', ['outcome', 'position'])
@Index('ix_decision_history_decided_at', ['decidedAt'])
@Index('ix_decision_history_model', ['modelName', 'modelVersion', 'position'])
@Index('ix_decision_history_arm', ['arm', 'position'])
@Index('ix_decision_history_subject', ['subjectRef'])
export class DecisionRecord {
  @PrimaryColumn({ name: 'decision_id', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_decision_history' })
  decisionId: string;

  /** Not unique in itself: the decision id is derived from it (migration 1767916800000). */
  @Column({ name: 'transaction_id', type: 'varchar', length: 128 })
  transactionId: string;

  @Column({ name: 'stream_id', type: 'varchar', length: 160 })
  streamId: string;

  /** Global log position of the event: the order of "newest first". */
  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;

  @Column({ name: 'card_id', type: 'varchar', length: 128 })
  cardId: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 128, nullable: true })
  customerId: string | null;

  /** The data subject (DecisionMade v4 `personal.subject`): what a SubjectErased blanks by. */
  @Column({ name: 'subject_ref', type: 'varchar', length: 64, nullable: true })
  subjectRef: string | null;

  /** The subject key its personal values are sealed under (`personal.keyId`): what blanks a row logged too late. */
  @Column({ name: 'key_id', type: 'varchar', length: 64, nullable: true })
  keyId: string | null;

  @Column({ name: 'merchant_id', type: 'varchar', length: 128 })
  merchantId: string;

  @Column({ name: 'amount', type: 'double precision' })
  amount: number;

  @Column({ name: 'currency', type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'channel', type: 'varchar', length: 8, nullable: true })
  channel: string | null;

  @Column({ name: 'country', type: 'varchar', length: 2, nullable: true })
  country: string | null;

  @Column({ name: 'outcome', type: 'varchar', length: 16 })
  outcome: string;

  @Column({ name: 'score', type: 'double precision' })
  score: number;

  @Column({ name: 'model_name', type: 'varchar', length: 200 })
  modelName: string;

  @Column({ name: 'model_version', type: 'varchar', length: 200 })
  modelVersion: string;

  @Column({ name: 'model_sha256', type: 'varchar', length: 64 })
  modelSha256: string;

  @Column({ name: 'policy_version', type: 'varchar', length: 200 })
  policyVersion: string;

  /** The deployment arm that decided (version-1 events: champion). */
  @Column({ name: 'arm', type: 'varchar', length: 16 })
  arm: string;

  /** The deployment revision in force when it was scored (version-1 events: 0). */
  @Column({ name: 'deployment_revision', type: 'integer' })
  deploymentRevision: number;

  @Column({ name: 'occurred_at', type: Date })
  occurredAt: Date;

  @Column({ name: 'decided_at', type: Date })
  decidedAt: Date;

  /** When the event store recorded the event. */
  @Column({ name: 'recorded_at', type: Date })
  recordedAt: Date;
}
