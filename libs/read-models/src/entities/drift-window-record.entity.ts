import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/**
 * One window of decision time (hourly by default) of one model version: how many decisions it made, and per
 * series (every feature, and the score) the counts by histogram key. Schema: migrations.
 */
@Entity({ name: 'drift_windows' })
export class DriftWindowRecord {
  @PrimaryColumn({ name: 'model_name', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_drift_windows' })
  modelName: string;

  @PrimaryColumn({ name: 'model_version', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_drift_windows' })
  modelVersion: string;

  /** The window width the projection counted with (VERDICT_DRIFT_WINDOW_SECONDS). */
  @PrimaryColumn({ name: 'window_seconds', type: 'integer', primaryKeyConstraintName: 'pk_drift_windows' })
  windowSeconds: number;

  @PrimaryColumn({ name: 'window_start', type: Date, primaryKeyConstraintName: 'pk_drift_windows' })
  windowStart: Date;

  @Column({ name: 'decisions', type: 'integer' })
  decisions: number;

  /** JSON: `{ "<series>": { "<key>": count } }`; keys are bin indexes or fine keys (see DriftBinning). */
  @Column({ name: 'histograms', type: 'text' })
  histograms: string;

  /** Position of the last decision counted: a decision at or below it is a redelivery and is not counted again. */
  @Column({ name: 'last_position', type: 'bigint', transformer: bigintTransformer })
  lastPosition: bigint;
}
