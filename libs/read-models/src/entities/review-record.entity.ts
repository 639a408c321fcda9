import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/**
 * One row per decision with outcome `review`: its latest claim and its resolution. Whether a claim still holds is a
 * question of the time of the query (claims lapse), so the row keeps the expiry and the queries decide. Schema:
 * migrations.
 */
@Entity({ name: 'review_queue' })
@Index('ix_review_queue_score', ['resolvedAt', 'score', 'position'])
@Index('ix_review_queue_age', ['resolvedAt', 'position'])
export class ReviewRecord {
  @PrimaryColumn({ name: 'decision_id', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_review_queue' })
  decisionId: string;

  @Column({ name: 'transaction_id', type: 'varchar', length: 128 })
  transactionId: string;

  /** The decision's log position. */
  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;

  @Column({ name: 'score', type: 'double precision' })
  score: number;

  @Column({ name: 'decided_at', type: Date })
  decidedAt: Date;

  @Column({ name: 'claimed_by', type: 'varchar', length: 200, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'claimed_at', type: Date, nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'claim_expires_at', type: Date, nullable: true })
  claimExpiresAt: Date | null;

  @Column({ name: 'resolution', type: 'varchar', length: 16, nullable: true })
  resolution: string | null;

  @Column({ name: 'resolved_by', type: 'varchar', length: 200, nullable: true })
  resolvedBy: string | null;

  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'note', type: 'text', nullable: true })
  note: string | null;
}
