import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';

/**
 * A subject key destroyed by an erasure (SubjectErased `keyIds`). A decision sealed under it but logged after the
 * erasure (made by an instance that had not seen it yet) is blanked by its key id, since the subject rule only reaches
 * rows logged before the erasure (docs/security.md, "Erasure").
 */
@Entity({ name: 'erased_subject_keys' })
export class ErasedKeyRecord {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_erased_subject_keys' })
  keyId: string;

  /** Global position of the SubjectErased that destroyed it. */
  @Column({ name: 'position', type: 'bigint', transformer: bigintTransformer })
  position: bigint;
}
