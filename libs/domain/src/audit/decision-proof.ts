import type { KeyObject } from 'node:crypto';
import type { SealHeader } from './audit-events';
import { canonicalEvent, eventHash, type HashableEvent } from './event-hash';
import { auditPath, leafHash, rootFromAuditPath } from './merkle-tree';
import { sealHashOf, sealSignatureValid } from './seal-signature';

/**
 * Everything needed to show, with no database, that one event is covered by a signed seal: the event as stored, its
 * hash, its leaf index in the seal's tree, the RFC 6962 audit path, and the seal's signed header and signature.
 */
export interface EventProof {
  readonly schemaVersion: 1;
  readonly event: { id: string; type: string; stream: string; revision: string; position: string; data: unknown; metadata: unknown };
  readonly eventHash: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly auditPath: readonly string[];
  readonly seal: { readonly header: SealHeader; readonly signature: string; readonly sealHash: string };
}

/** Builds the proof of `sealed[leafIndex]` from every hashed event the seal covers. */
export function buildEventProof(event: HashableEvent, leafIndex: number, sealedHashes: readonly Buffer[], seal: EventProof['seal']): EventProof {
  const c = canonicalEvent(event) as EventProof['event'];
  return {
    schemaVersion: 1,
    event: c,
    eventHash: eventHash(event).toString('hex'),
    leafIndex,
    treeSize: sealedHashes.length,
    auditPath: auditPath(leafIndex, sealedHashes.map(leafHash)).map((h) => h.toString('hex')),
    seal,
  };
}

export interface ProofCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Checks a proof offline against trusted public keys (by key id). Valid only if every check passes. */
export function verifyEventProof(proof: EventProof, keys: ReadonlyMap<string, KeyObject>): { valid: boolean; checks: ProofCheck[] } {
  const checks: ProofCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const { header, signature, sealHash } = proof.seal;
  const e = proof.event;
  let recomputed = '';
  try {
    recomputed = eventHash({ id: e.id, type: e.type, streamId: e.stream, revision: BigInt(e.revision), position: BigInt(e.position), data: e.data, metadata: e.metadata }).toString('hex');
  } catch (error) {
    add('event-hash', false, `the event cannot be hashed: ${(error as Error).message}`);
  }
  if (recomputed) add('event-hash', recomputed === proof.eventHash, recomputed === proof.eventHash ? 'the event hashes to eventHash' : `the event hashes to ${recomputed}, not ${proof.eventHash}`);
  const position = /^\d+$/.test(e.position) ? BigInt(e.position) : -1n;
  const inRange = position > BigInt(header.fromPosition) && position <= BigInt(header.toPosition);
  add('in-range', inRange, `position ${e.position} ${inRange ? 'is' : 'is not'} in the seal's range (${header.fromPosition}, ${header.toPosition}]`);
  const root = proof.treeSize === header.count ? rootFromAuditPath(leafHash(Buffer.from(proof.eventHash, 'hex')), proof.leafIndex, proof.treeSize, proof.auditPath.map((h) => Buffer.from(h, 'hex'))) : null;
  const rootOk = root !== null && root.toString('hex') === header.merkleRoot;
  add('audit-path', rootOk, rootOk ? `leaf ${proof.leafIndex} of ${proof.treeSize} leads to the sealed Merkle root` : `the audit path does not lead from leaf ${proof.leafIndex} of ${proof.treeSize} to the sealed root`);
  const key = keys.get(header.keyId);
  const signed = key !== undefined && sealSignatureValid(header, signature, key);
  add('signature', signed, key === undefined ? `seal signed with key ${header.keyId}, which is not among the trusted keys` : signed ? `signed by key ${header.keyId}` : `the signature does not verify with key ${header.keyId}`);
  const hashOk = sealHashOf(header, signature) === sealHash;
  add('seal-hash', hashOk, hashOk ? 'the seal hashes to sealHash' : 'the seal does not hash to sealHash');
  return { valid: checks.every((c) => c.ok), checks };
}
