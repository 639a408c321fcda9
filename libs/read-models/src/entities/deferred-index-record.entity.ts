import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A secondary index a rebuild dropped while it loads, with the statement that builds it again. */
@Entity({ name: 'read_model_deferred_indexes' })
export class DeferredIndexRecord {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_read_model_deferred_indexes' })
  name: string;

  @Column({ name: 'definition', type: 'text' })
  definition: string;
}
