import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/** How far each projection has applied the global log; written in the same transaction as the projection's rows. */
@Entity({ name: 'projection_checkpoint' })
export class ProjectionCheckpoint {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 200, primaryKeyConstraintName: 'pk_projection_checkpoint' })
  name: string;

  /** Position of the last event applied (0 = nothing yet). */
  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
