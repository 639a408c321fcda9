import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { ReadAllOptions } from '../event-store.port';
import { toStoreError } from './esdb-errors';
import { isVisible } from './esdb-event-mapping';

/**
 * Drains one read. The deadline is on silence, not on the total: a long read that keeps delivering is fine, a server
 * that stops answering fails it after `timeoutMs` without a message.
 */
export function collect<E extends ResolvedEvent | AllStreamResolvedEvent>(read: StreamingRead<E>, what: string, timeoutMs: number): Promise<E[]> {
  return new Promise<E[]>((resolve, reject) => {
    const events: E[] = [];
    const stall = setTimeout(() => {
      void read.cancel();
      reject(new EventStoreUnavailableError(`EventStoreDB ${what} received nothing for ${timeoutMs} ms`));
    }, timeoutMs);
    (async () => {
      for await (const event of read) {
        events.push(event as E);
        stall.refresh();
      }
    })().then(
      () => {
        clearTimeout(stall);
        resolve(events);
      },
      (error: unknown) => {
        clearTimeout(stall);
        reject(error);
      },
    );
  });
}

/**
 * Our events of $all after `options.after`, in batches of `batchSize` (asked again before each batch), through `take`
 * until it says no or the log ends.
 */
export async function readAllWhile(
  client: EventStoreDBClient,
  timeoutMs: number,
  options: ReadAllOptions,
  batchSize: number | (() => number),
  what: string,
  take: (event: AllStreamResolvedEvent) => boolean,
): Promise<void> {
  // A $all read from a position includes the event at it; `lowerBound` drops it (and the overlap between pages).
  let lowerBound = options.after;
  let from: ReadPosition = lowerBound === undefined || lowerBound <= 0n ? START : { commit: lowerBound, prepare: lowerBound };
  try {
    for (;;) {
      const pageSize = typeof batchSize === 'number' ? batchSize : batchSize();
      const batch: AllStreamResolvedEvent[] = await collect(client.readAll({ fromPosition: from, maxCount: pageSize, direction: FORWARDS }), what, timeoutMs);
      for (const resolved of batch) {
        const position = resolved.event?.position;
        if (position && lowerBound !== undefined && position.commit <= lowerBound) continue;
        if (isVisible(resolved, options.filter) && !take(resolved)) return;
      }
      const last: Position | undefined = batch.at(-1)?.event?.position;
      if (batch.length < pageSize || !last) return;
      from = last;
      lowerBound = last.commit;
    }
  } catch (error) {
    throw toStoreError(error, what);
  }
}

/** The newest event our readers can see: $all walked backwards past system events (undefined for a log without ours). */
export async function newestVisible(client: EventStoreDBClient, timeoutMs: number): Promise<AllStreamResolvedEvent | undefined> {
  let from: ReadPosition = END;
  const pageSize = 32;
  try {
    for (;;) {
      const batch: AllStreamResolvedEvent[] = await collect(client.readAll({ fromPosition: from, maxCount: pageSize, direction: BACKWARDS }), 'read of the $all head', timeoutMs);
      const visible = batch.find((resolved) => isVisible(resolved, undefined));
      if (visible) return visible;
      const oldest: Position | undefined = batch.at(-1)?.event?.position;
      if (batch.length < pageSize || !oldest) return undefined;
      from = oldest;
    }
  } catch (error) {
    throw toStoreError(error, 'read of the $all head');
  }
}
