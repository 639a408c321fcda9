import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/** One row per alert event (DriftDetected, PerformanceDegraded, ChallengerRolledBack). Schema: migrations. */
@Entity({ name: 'alerts' })
@Index('ux_alerts_position', ['position'], { unique: true })
@Index('ix_alerts_type', ['type', 'position'])
export class AlertRecord {
  @PrimaryColumn({ name: 'alert_id', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_alerts' })
  alertId: string;

  @Column({ name: 'type', type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'model', type: 'varchar', length: 200, nullable: true })
  model: string | null;

  @Column({ name: 'version', type: 'varchar', length: 200, nullable: true })
  version: string | null;

  @Column({ name: 'raised_at', type: Date })
  raisedAt: Date;

  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;

  @Column({ name: 'summary', type: 'text' })
  summary: string;

  /** The event's data: JSON text on SQLite, jsonb on PostgreSQL (read raw; see AlertQueries). */
  @Column({ name: 'data', type: 'text' })
  data: unknown;
}
