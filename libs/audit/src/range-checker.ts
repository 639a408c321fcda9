import { checkSealedRange, decodeSealEntries, type EventFinding, type HashedEvent, type SealEntry, type SealFinding, type SealHeader } from '@verdict/domain/audit';
import type { EventStore } from '@verdict/event-store';
import { hashedRange } from './hashed-log';

export interface RangeResult {
  readonly findings: (EventFinding | SealFinding)[];
  /** Events the store holds in the range now. */
  readonly events: number;
}

/** Recomputes one seal from the store: here on this thread, or on a worker thread with its own connection. */
export interface RangeChecker {
  check(header: SealHeader, entries: string): Promise<RangeResult>;
  close(): Promise<void>;
}

/** Reads the seal's range from `store` and checks it on this thread. */
export async function checkRangeInStore(store: EventStore, header: SealHeader, entries: string): Promise<RangeResult> {
  const stored: HashedEvent[] = [];
  for await (const page of hashedRange(store, BigInt(header.fromPosition), BigInt(header.toPosition), sealedEntries(header, entries))) {
    for (const e of page) stored.push(e);
  }
  return { findings: checkSealedRange(header, entries, stored), events: stored.length };
}

/** The seal's entries, or none when they do not decode (checkSealedRange reports that; every event is then parsed). */
function sealedEntries(header: SealHeader, entries: string): SealEntry[] {
  try {
    return decodeSealEntries(BigInt(header.fromPosition), Buffer.from(entries, 'base64'));
  } catch {
    return [];
  }
}

export class InlineRangeChecker implements RangeChecker {
  constructor(private readonly store: EventStore) {}
  check(header: SealHeader, entries: string): Promise<RangeResult> {
    return checkRangeInStore(this.store, header, entries);
  }
  async close(): Promise<void> {}
}
