import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/** One row per TransactionLabelled: every label is kept; "as known at T" picks the one in force. Schema: migrations. */
@Entity({ name: 'transaction_labels' })
@Index('ux_transaction_labels_position', ['position'], { unique: true })
@Index('ix_transaction_labels_reported', ['transactionId', 'reportedAt', 'position'])
export class LabelRecord {
  @PrimaryColumn({ name: 'transaction_id', type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_transaction_labels' })
  transactionId: string;

  @PrimaryColumn({ name: 'label_id', type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_transaction_labels' })
  labelId: string;

  @Column({ name: 'decision_id', type: 'varchar', length: 64 })
  decisionId: string;

  @Column({ name: 'label', type: 'varchar', length: 16 })
  label: string;

  @Column({ name: 'source', type: 'varchar', length: 32 })
  source: string;

  @Column({ name: 'reported_at', type: Date })
  reportedAt: Date;

  @Column({ name: 'amount', type: 'double precision', nullable: true })
  amount: number | null;

  @Column({ name: 'note', type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'recorded_by', type: 'varchar', length: 200 })
  recordedBy: string;

  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;
}
