import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/** One row per registered model version (ModelVersionRegistered, updated by ModelVersionRetired). Schema: migrations. */
@Entity({ name: 'model_versions' })
@Index('ix_model_versions_order', ['name', 'position'])
export class ModelVersionRecord {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_model_versions' })
  name: string;

  @PrimaryColumn({ name: 'version', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_model_versions' })
  version: string;

  @Column({ name: 'sha256', type: 'varchar', length: 64 })
  sha256: string;

  @Column({ name: 'served_sha256', type: 'varchar', length: 64 })
  servedSha256: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: bigintTransformer })
  sizeBytes: bigint;

  /** Whether the manifest names features (a version without them serves raw inference only). */
  @Column({ name: 'decides', type: 'boolean' })
  decides: boolean;

  @Column({ name: 'registered_at', type: Date })
  registeredAt: Date;

  @Column({ name: 'registered_by', type: 'varchar', length: 200 })
  registeredBy: string;

  @Column({ name: 'retired_at', type: Date, nullable: true })
  retiredAt: Date | null;

  @Column({ name: 'retired_by', type: 'varchar', length: 200, nullable: true })
  retiredBy: string | null;

  @Column({ name: 'retired_reason', type: 'text', nullable: true })
  retiredReason: string | null;

  /** JSON (jsonb on PostgreSQL). */
  @Column({ name: 'manifest', type: 'text' })
  manifest: string;

  @Column({ name: 'signature', type: 'text' })
  signature: string;

  /** Position of the registration event: the order of versions within a model. */
  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;
}
