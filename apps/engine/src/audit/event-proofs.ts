import { AUDIT_SEALS_STREAM, buildEventProof, parseSealEvent, sealHeaderOf, type EventProof } from '@verdict/domain/audit';
import { hashedRange } from '@verdict/audit';
import { isUnreadableEvent, type EventStore, type RecordedEvent } from '@verdict/event-store';
import type { SealIndex } from './seal-index.port';

/** The event is in the log, but no seal covers it yet. */
export class NotSealedYetError extends Error {
  constructor(
    readonly position: bigint,
    readonly sealedThrough: bigint,
    readonly nextSealDueBy: string,
  ) {
    super(`Position ${position} is not sealed yet (sealed through ${sealedThrough}); the next seal is due by ${nextSealDueBy}.`);
    this.name = 'NotSealedYetError';
  }
}

/** The store no longer holds what the index says was sealed: only a tampered store gets here. */
export class SealedEventUnprovableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedEventUnprovableError';
  }
}

/**
 * Builds an event's inclusion proof from the store as it is now: the covering seal's signed header, and the audit
 * path over the hashes of every event in its range. A store altered since the seal gives a proof that fails offline,
 * which is the point (a neighbour that no longer parses too: its leaf is then a hash no event has).
 */
export class EventProofs {
  constructor(
    private readonly store: EventStore,
    private readonly seals: SealIndex,
  ) {}

  async proofOf(event: RecordedEvent): Promise<EventProof> {
    const ranges = await this.seals.snapshot();
    const ref = ranges.covering(event.position);
    if (ref === null) throw new NotSealedYetError(event.position, ranges.sealedThrough, ranges.nextSealDueBy);
    const parsed = parseSealEvent(await this.sealData(ref.index));
    if (!parsed.ok) throw new SealedEventUnprovableError(`seal ${ref.index} cannot be read back: ${parsed.error}`);
    const hashes: Buffer[] = [];
    let leafIndex = -1;
    for await (const page of hashedRange(this.store, ref.fromPosition, ref.toPosition)) {
      for (const e of page) {
        if (e.position === event.position) leafIndex = hashes.length;
        hashes.push(e.hash);
      }
    }
    if (leafIndex < 0) throw new SealedEventUnprovableError(`position ${event.position} is no longer in seal ${ref.index}'s range`);
    return buildEventProof(event, leafIndex, hashes, { header: sealHeaderOf(parsed.value), signature: parsed.value.signature, sealHash: ref.sealHash });
  }

  /** The seal event's data, as stored now; one rewritten so that it no longer parses is unprovable, not a store outage. */
  private async sealData(index: number): Promise<unknown> {
    try {
      const [stored] = await this.store.readStream(AUDIT_SEALS_STREAM, { fromRevision: BigInt(index), maxCount: 1 });
      return stored?.data;
    } catch (e) {
      if (isUnreadableEvent(e)) throw new SealedEventUnprovableError(`seal ${index} cannot be read back: ${e.reason}`);
      throw e;
    }
  }
}
