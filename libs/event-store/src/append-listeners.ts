/**
 * A set of "something was appended" listeners: EventStore.onAppended in every adapter, and the SQLite adapter's
 * wake-ups of its own subscriptions. Each registration has its own unsubscribe function.
 */
export class AppendListeners {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    const entry = (): void => listener(); // its own identity: the same function added twice is two registrations
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /**
   * Calls every listener. One that throws must not turn a committed append into a failure (its events are durable)
   * nor starve the others, so its error is reported as a process warning.
   */
  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'AppendListenerError');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
