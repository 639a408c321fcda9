import type { AppendResult } from './event-store.port';

/**
 * A set of listeners called with one value: EventStore.onAppended (the position a commit reached) and onCommitted
 * (its report) in every adapter, and the SQLite adapter's wake-ups of its own subscriptions (nothing). Each
 * registration has its own unsubscribe function.
 */
export class AppendListeners<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    const entry = (value: T): void => listener(value); // its own identity: the same function added twice is two registrations
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /**
   * Calls every listener. One that throws must not turn a committed append into a failure (its events are durable)
   * nor starve the others, so its error is reported as a process warning.
   */
  notify(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'AppendListenerError');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** The global position of the last event a commit wrote: the highest of its appends' positions. */
export function highestPosition(results: readonly AppendResult[]): bigint {
  let highest = -1n;
  for (const r of results) if (r.position > highest) highest = r.position;
  return highest;
}
