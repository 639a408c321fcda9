import { createHash, type KeyObject } from 'node:crypto';
import { SEAL_SCHEMA_VERSION, type AuditPeriodSealedV1, type SealHeader } from './audit-events';
import { leafHash, merkleRootOfLeaves } from './merkle-tree';
import { encodeSealEntries, ENTRY_DIGEST_BYTES, type SealEntry } from './seal-entries';
import type { HashedEvent } from './sealed-range-check';
import { sealHashOf, signSealHeader } from './seal-signature';

export interface SealSigner {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

export interface PreviousSeal {
  readonly index: number;
  readonly toPosition: bigint;
  readonly sealHash: string;
}

/** The next seal over `events` (the hashed events after the previous seal's toPosition, in position order). */
export function buildSeal(events: readonly HashedEvent[], previous: PreviousSeal | null, signer: SealSigner, sealedAt: Date): { data: AuditPeriodSealedV1; sealHash: string } {
  if (events.length === 0) throw new RangeError('a seal covers at least one event');
  const fromPosition = previous?.toPosition ?? 0n;
  const entries: SealEntry[] = events.map((e) => ({ position: e.position, streamId: e.streamId, revision: e.revision, digest: e.hash.subarray(0, ENTRY_DIGEST_BYTES) }));
  const entryBytes = encodeSealEntries(fromPosition, entries);
  const header: SealHeader = {
    schemaVersion: SEAL_SCHEMA_VERSION,
    index: previous === null ? 0 : previous.index + 1,
    fromPosition: fromPosition.toString(),
    toPosition: events[events.length - 1].position.toString(),
    count: events.length,
    merkleRoot: merkleRootOfLeaves(events.map((e) => leafHash(e.hash))).toString('hex'),
    entriesSha256: createHash('sha256').update(entryBytes).digest('hex'),
    previousSealHash: previous?.sealHash ?? null,
    sealedAt: sealedAt.toISOString(),
    keyId: signer.keyId,
  };
  const signature = signSealHeader(header, signer.privateKey);
  return { data: { ...header, signature, entries: entryBytes.toString('base64') }, sealHash: sealHashOf(header, signature) };
}
