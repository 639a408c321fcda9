import { Client } from 'pg';

/**
 * Wake-ups for live subscriptions: one dedicated connection LISTENs on the schema's channel and bumps a generation
 * counter on every notification. Subscribers remember the generation before they read and wait for it to change or
 * for the poll interval to pass, whichever comes first.
 *
 * This is only a latency optimisation. Correctness comes from subscribers re-reading the log, which they also do on
 * every poll tick; so a failed or lost LISTEN connection is not an error of any subscription (their reads surface real
 * store failures). It is re-established, with a back-off, the next time someone waits.
 */
export class PostgresChangeNotifier {
  private generationCounter = 0;
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private nextAttemptAt = 0;
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly retryDelayMs: number,
  ) {}

  get generation(): number {
    return this.generationCounter;
  }

  /**
   * Resolves when a notification arrives after `sinceGeneration`, after `timeoutMs`, or when `cancel` is signalled.
   */
  wait(sinceGeneration: number, timeoutMs: number, cancel: AbortSignal): Promise<void> {
    this.ensureListening();
    if (this.generationCounter !== sinceGeneration || cancel.aborted || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        cancel.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      cancel.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  /** Wakes the waiters if no LISTEN connection is up (they would otherwise sleep until their poll); else nothing. */
  nudge(): void {
    if (!this.client && !this.closed) this.wakeAll();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    // The LISTEN connection holds no data; a failure while ending it cannot lose anything.
    if (client) await client.end().catch(() => undefined);
  }

  private wakeAll(): void {
    this.generationCounter += 1;
    for (const w of [...this.waiters]) w();
  }

  /** Starts (or, after a loss and its back-off, restarts) the LISTEN connection in the background. */
  ensureListening(): void {
    if (this.closed || this.client || this.connecting || Date.now() < this.nextAttemptAt) return;
    const client = new Client({ connectionString: this.connectionString });
    const drop = (): void => {
      if (this.client !== client) return;
      this.client = null;
      this.nextAttemptAt = Date.now() + this.retryDelayMs;
      client.end().catch(() => undefined);
      // Notifications may have been missed while the connection was going down: let everyone re-read now.
      this.wakeAll();
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', () => this.wakeAll());
    this.connecting = (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN "${this.channel}"`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        // Events committed before LISTEN took effect raised no notification for us: wake waiters to re-read.
        this.wakeAll();
      } catch {
        // Polling still delivers every event; retry LISTEN later instead of failing subscribers over a hint channel.
        this.nextAttemptAt = Date.now() + this.retryDelayMs;
        await client.end().catch(() => undefined);
      } finally {
        this.connecting = null;
      }
    })();
  }
}
