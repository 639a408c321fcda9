import { createHash } from 'node:crypto';
import type { SealHeader } from './audit-events';
import type { EventFinding, SealFinding } from './audit-findings';
import { leafHash, merkleRootOfLeaves } from './merkle-tree';
import { decodeSealEntries, ENTRY_DIGEST_BYTES, type SealEntry } from './seal-entries';

/** A stored event in a sealed range, reduced to what the check needs. */
export interface HashedEvent {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  /** eventHash() of the event as stored now; for an unreadable event, a hash no sealed event can have. */
  readonly hash: Buffer;
  /** Set when its data or metadata no longer parses as JSON: why. */
  readonly unreadable?: string;
}

const identity = (streamId: string, revision: bigint): string => `${revision}\u0000${streamId}`;

/**
 * Recomputes one seal from the events the store now holds in its range (fromPosition, toPosition], in position order.
 * The Merkle root is the full-strength check; the entries turn a mismatch into named positions:
 * same identity (stream, revision) at its sealed position with another digest → altered; an identity sealed at
 * another position → reordered; an identity no entry lists → extra; an entry whose identity the store lacks → missing.
 */
export function checkSealedRange(header: SealHeader, entriesBase64: string, stored: readonly HashedEvent[]): (EventFinding | SealFinding)[] {
  const seal = header.index;
  const findings: (EventFinding | SealFinding)[] = [];
  const root = merkleRootOfLeaves(stored.map((e) => leafHash(e.hash))).toString('hex');
  const rootOk = root === header.merkleRoot && stored.length === header.count;

  let entries: SealEntry[] | null = null;
  const bytes = Buffer.from(entriesBase64, 'base64');
  if (createHash('sha256').update(bytes).digest('hex') !== header.entriesSha256) {
    findings.push({ kind: 'entries-mismatch', seal, detail: `seal ${seal}: its entries do not hash to the signed entriesSha256` });
  } else {
    try {
      entries = decodeSealEntries(BigInt(header.fromPosition), bytes);
      if (entries.length !== header.count) {
        findings.push({ kind: 'entries-mismatch', seal, detail: `seal ${seal}: ${entries.length} entries for a count of ${header.count}` });
        entries = null;
      }
    } catch (e) {
      findings.push({ kind: 'entries-mismatch', seal, detail: `seal ${seal}: ${(e as Error).message}` });
    }
  }

  let localised = 0;
  if (entries !== null) {
    const sealedAt = new Map<string, SealEntry>();
    for (const entry of entries) sealedAt.set(identity(entry.streamId, entry.revision), entry);
    const present = new Set<string>();
    for (const e of stored) {
      const key = identity(e.streamId, e.revision);
      present.add(key);
      const entry = sealedAt.get(key);
      const at = { position: e.position.toString(), stream: e.streamId, revision: e.revision.toString(), seal };
      if (entry === undefined) {
        findings.push({ kind: 'extra', ...at, detail: `position ${at.position} (${at.stream}@${at.revision}) is in seal ${seal}'s range but was not sealed` });
      } else if (entry.position !== e.position) {
        findings.push({
          kind: 'reordered',
          ...at,
          sealedPosition: entry.position.toString(),
          detail: `position ${at.position} holds ${at.stream}@${at.revision}, which seal ${seal} sealed at position ${entry.position}`,
        });
      } else if (!e.hash.subarray(0, ENTRY_DIGEST_BYTES).equals(entry.digest)) {
        const why = e.unreadable === undefined ? 'no longer hashes to what' : `cannot be read (${e.unreadable}): it is not what`;
        findings.push({ kind: 'altered', ...at, detail: `position ${at.position} (${at.stream}@${at.revision}) ${why} seal ${seal} sealed` });
      } else {
        continue;
      }
      localised++;
    }
    for (const entry of entries) {
      if (present.has(identity(entry.streamId, entry.revision))) continue;
      const position = entry.position.toString();
      const revision = entry.revision.toString();
      findings.push({ kind: 'missing', position, stream: entry.streamId, revision, seal, detail: `position ${position} (${entry.streamId}@${revision}), sealed by seal ${seal}, is gone` });
      localised++;
    }
  }
  // 8-byte digests can in principle collide, and broken entries localise nothing: the root still decides.
  if (!rootOk && localised === 0) {
    findings.push({
      kind: 'root-mismatch',
      seal,
      detail: `seal ${seal}: the ${stored.length} stored events in (${header.fromPosition}, ${header.toPosition}] do not rebuild its Merkle root`,
    });
  }
  return findings;
}
