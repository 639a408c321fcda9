import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/** One row per deployment event, with the state it made (for history and point-in-time reads). Schema: migrations. */
@Entity({ name: 'deployment_history' })
@Index('ix_deployment_history_at', ['at'])
export class DeploymentHistoryRecord {
  /** The deployment revision the event created (1-based). */
  @PrimaryColumn({ name: 'revision', type: 'integer', primaryKeyConstraintName: 'pk_deployment_history' })
  revision: number;

  @Column({ name: 'type', type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'at', type: Date })
  at: Date;

  @Column({ name: 'actor', type: 'varchar', length: 200 })
  actor: string;

  @Column({ name: 'reason', type: 'text' })
  reason: string;

  @Column({ name: 'automatic', type: 'boolean' })
  automatic: boolean;

  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;

  /** The event's data, JSON. */
  @Column({ name: 'event', type: 'text' })
  event: string;

  /** The DeploymentState after the event, JSON. */
  @Column({ name: 'state', type: 'text' })
  state: string;
}
