import { performance } from 'node:perf_hooks';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { checkSealLink, sealHeaderOf, type AuditFinding, type ChainLink } from '@verdict/domain/audit';
import type { EventStore } from '@verdict/event-store';
import { READ_PAGE, READ_PAGE_CHARS } from './hashed-log';
import type { RangeChecker } from './range-checker';
import { InlineRangeChecker } from './range-checker';
import { readPublishedKeys, readSeals } from './seal-log';

export interface VerificationProgress {
  /** Sealed positions checked so far, and the last sealed position (for a progress bar). */
  readonly positionsDone: bigint;
  readonly sealedThrough: bigint;
  readonly eventsChecked: number;
}

export interface VerifyOptions {
  /**
   * Trust anchors: only seals signed by these keys verify, and `audit-keys` is not consulted. Without them the keys
   * published on `audit-keys` are trusted (which proves integrity against the log's own keys, not who wrote them).
   */
  readonly trustedKeys?: ReadonlyMap<string, KeyObject>;
  /** Checks seal ranges (default: on this thread). */
  readonly checker?: RangeChecker;
  /** Seals checked at once (useful with a checker that has several threads). Default 1. */
  readonly concurrency?: number;
  readonly onProgress?: (p: VerificationProgress) => void;
}

export interface VerificationReport {
  /** No finding at all. */
  readonly clean: boolean;
  readonly store: string;
  readonly trust: 'audit-keys' | 'trusted-keys';
  readonly keys: readonly string[];
  readonly seals: number;
  /** Events found in sealed ranges and checked. */
  readonly eventsChecked: number;
  /** Last position the last seal covers ("0" when nothing is sealed yet). */
  readonly sealedThrough: string;
  /** Events after it: not covered by any seal yet, so not checked. */
  readonly unsealedEvents: number;
  readonly findings: readonly AuditFinding[];
  readonly durationMs: number;
  readonly eventsPerSecond: number;
}

/**
 * Recomputes every seal of `audit-seals` from the events the store holds now: the chain and signatures first (no
 * events needed), then each seal's range (Merkle root and entries). Positions past the last seal are only counted.
 */
export async function verifyEventStore(store: EventStore, options: VerifyOptions = {}): Promise<VerificationReport> {
  const started = performance.now();
  const trusted = options.trustedKeys;
  const keys = trusted ?? new Map((await readPublishedKeys(store)).keys.map((k) => [k.keyId, createPublicKey(k.publicKeyPem)] as const));
  const seals = await readSeals(store);
  const findings: AuditFinding[] = [];
  const ranges: { index: number; header: ReturnType<typeof sealHeaderOf>; entries: string }[] = [];
  let previous: ChainLink | null = null;
  for (const s of seals) {
    if (!s.ok) {
      findings.push({ kind: 'malformed-seal', seal: Number(s.revision), detail: `seal ${s.revision} (position ${s.position}): ${s.error}` });
      continue;
    }
    const header = sealHeaderOf(s.seal);
    findings.push(...checkSealLink(header, s.seal.signature, s.revision, previous, keys));
    ranges.push({ index: header.index, header, entries: s.seal.entries });
    previous = { toPosition: header.toPosition, sealHash: s.sealHash };
  }
  const sealedThrough = ranges.length > 0 ? BigInt(ranges[ranges.length - 1].header.toPosition) : 0n;

  const checker = options.checker ?? new InlineRangeChecker(store);
  let eventsChecked = 0;
  let positionsDone = 0n;
  let next = 0;
  const rangeFindings: AuditFinding[][] = [];
  const work = async (): Promise<void> => {
    while (next < ranges.length) {
      const i = next++;
      const r = ranges[i];
      const result = await checker.check(r.header, r.entries);
      rangeFindings[i] = result.findings;
      eventsChecked += result.events;
      positionsDone += BigInt(r.header.toPosition) - BigInt(r.header.fromPosition);
      options.onProgress?.({ positionsDone, sealedThrough, eventsChecked });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, work));
  } finally {
    if (options.checker === undefined) await checker.close();
  }
  for (const f of rangeFindings) findings.push(...f);

  const unsealedEvents = await countAfter(store, sealedThrough);
  const durationMs = performance.now() - started;
  return {
    clean: findings.length === 0,
    store: store.kind,
    trust: trusted ? 'trusted-keys' : 'audit-keys',
    keys: [...keys.keys()],
    seals: seals.length,
    eventsChecked,
    sealedThrough: sealedThrough.toString(),
    unsealedEvents,
    findings,
    durationMs: Math.round(durationMs),
    eventsPerSecond: durationMs > 0 ? Math.round((eventsChecked / durationMs) * 1000) : 0,
  };
}

/** Counted over the text, unparsed: an unsealed row that no longer parses is still only counted. */
async function countAfter(store: EventStore, after: bigint): Promise<number> {
  let n = 0;
  for (let cursor = after; ; ) {
    const page = await store.readAllText({ after: cursor, maxCount: READ_PAGE, maxChars: READ_PAGE_CHARS });
    if (page.length === 0) return n;
    n += page.length;
    cursor = page[page.length - 1].position;
  }
}
