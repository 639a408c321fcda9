import type { KeyObject } from 'node:crypto';
import type { SealHeader } from './audit-events';
import type { SealFinding } from './audit-findings';
import { sealSignatureValid } from './seal-signature';

/** The previous seal as the next one must continue it. */
export interface ChainLink {
  readonly toPosition: string;
  readonly sealHash: string;
}

/**
 * The checks on a seal that need no events: it is the next link of the chain (its index is its revision in
 * `audit-seals`, it names the previous seal's hash and starts where that one ended) and its signature verifies with
 * the key it names, among `keys`.
 */
export function checkSealLink(header: SealHeader, signature: string, revision: bigint, previous: ChainLink | null, keys: ReadonlyMap<string, KeyObject>): SealFinding[] {
  const seal = header.index;
  const findings: SealFinding[] = [];
  const broken = (detail: string) => findings.push({ kind: 'chain-broken', seal, detail: `seal ${seal}: ${detail}` });
  if (BigInt(header.index) !== revision) broken(`its index is ${header.index} but it is revision ${revision} of audit-seals`);
  const expectedPrevious = previous?.sealHash ?? null;
  if (header.previousSealHash !== expectedPrevious) broken(`previousSealHash is ${header.previousSealHash}, the previous seal hashes to ${expectedPrevious}`);
  const expectedFrom = previous?.toPosition ?? '0';
  if (header.fromPosition !== expectedFrom) broken(`it starts after position ${header.fromPosition}, the previous seal ended at ${expectedFrom}`);
  if (BigInt(header.toPosition) <= BigInt(header.fromPosition)) broken(`its range (${header.fromPosition}, ${header.toPosition}] is empty`);
  const key = keys.get(header.keyId);
  if (key === undefined) {
    findings.push({ kind: 'unknown-key', seal, detail: `seal ${seal}: signed with key ${header.keyId}, which is not a trusted key` });
  } else if (!sealSignatureValid(header, signature, key)) {
    findings.push({ kind: 'bad-signature', seal, detail: `seal ${seal}: the signature does not verify with key ${header.keyId}` });
  }
  return findings;
}
