import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/**
 * How the drift projection counts one model version's traffic, fixed by the first event that told it about the
 * version: its registration (with or without training statistics) or, for a version never registered, its first
 * decision. Schema: migrations.
 */
@Entity({ name: 'drift_binnings' })
export class DriftBinningRecord {
  @PrimaryColumn({ name: 'model_name', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_drift_binnings' })
  modelName: string;

  @PrimaryColumn({ name: 'model_version', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_drift_binnings' })
  modelVersion: string;

  /** `training` or `first-window`. */
  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind: string;

  /** JSON: the training statistics, or `{ "series": [...] }` (the names counted) for a first-window version. */
  @Column({ name: 'binning', type: 'text' })
  binning: string;

  /** Position of the event that fixed it. */
  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;
}
