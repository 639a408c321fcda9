import { publishSigningKey, SealingCursor, type LastSeal } from '@verdict/audit';
import type { EventStore } from '@verdict/event-store';
import type { SealChain } from './seal-chain';
import type { SigningKey } from './signing-key-file';

/** Where the sealer reports (a pino logger, or the sealer thread's channel to the main thread). */
export interface SealerLog {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface SealerSettings {
  readonly intervalMs: number;
  readonly maxEvents: number;
}

const sameSeal = (a: LastSeal | null, b: LastSeal | null): boolean => a?.index === b?.index && a?.sealHash === b?.sealHash;

/**
 * Seals the log. Every instance runs one; the append to `audit-seals` expects the last seal's revision, so exactly one
 * seal lands per index and the others resync from the stream and go on after it. It reads and hashes new events as
 * they commit, and cuts a seal when a seal's worth is pending or the interval since the last seal has passed (never
 * over audit events alone). A restart resumes from the last seal in the stream. A failing store is logged and retried
 * on the next tick: nothing is sealed meanwhile, and nothing is lost (the events stay in the log).
 */
export class AuditSealer {
  private readonly cursor: SealingCursor;
  private keyPublished = false;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly tickMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly chain: SealChain,
    private readonly key: SigningKey,
    settings: SealerSettings,
    private readonly log: SealerLog,
  ) {
    this.cursor = new SealingCursor(store, key, { maxEvents: settings.maxEvents }, null);
    this.tickMs = Math.min(1000, Math.max(20, Math.floor(settings.intervalMs / 4)));
  }

  async start(): Promise<void> {
    await this.chain.refresh();
    this.cursor.resync(this.chain.lastSeal());
    this.stopped = false;
    this.loop = this.run();
  }

  /**
   * Stops the loop, after the round in progress. With `finalSealBy` (a Date.now() deadline) it then seals what the log
   * held when the stop began, due or not, so that a clean stop leaves the events committed before it under a seal
   * (docs/operations.md). Events other instances append meanwhile are theirs to seal. What the deadline leaves, the
   * next start seals (it resumes from the last seal). A failing or hung store is logged, not thrown: the stop goes on.
   */
  async stop(finalSealBy?: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (finalSealBy !== undefined) await this.sealPending(finalSealBy);
  }

  private async sealPending(by: number): Promise<void> {
    const late = Symbol('late');
    const inTime = <T>(work: Promise<T>): Promise<T | typeof late> => {
      work.catch(() => undefined); // a round the deadline cut off may still fail; the stop has moved on
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<typeof late>((resolve) => (timer = setTimeout(() => resolve(late), Math.max(0, by - Date.now()))));
      return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
    };
    try {
      const head = await inTime(this.store.headPosition());
      if (head === late) return this.leftForNextStart(null);
      while ((this.chain.lastSeal()?.toPosition ?? -1n) < head) {
        if (Date.now() >= by) return this.leftForNextStart(head);
        const more = await inTime(this.step(true));
        if (more === late) return this.leftForNextStart(head);
        if (!more) return; // nothing but audit events pending
      }
    } catch (error) {
      this.log.error({ err: error }, 'audit sealer: the last seal before stopping failed; the next start seals what it left');
    }
  }

  private leftForNextStart(head: bigint | null): void {
    const sealedThrough = this.chain.lastSeal()?.toPosition.toString() ?? null;
    this.log.info({ sealedThrough, head: head?.toString() ?? null }, 'audit sealer: out of time before sealing through the log\'s head; the next start seals what is left');
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let again = false;
      try {
        again = await this.step();
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 60 === 0) this.log.error({ err: error, failures }, 'audit sealer: the event store failed; retrying');
      }
      if (!again && !this.stopped) await this.sleep(this.tickMs);
    }
  }

  /**
   * One round; true when more is already pending: another seal's worth, or (with `final`, which seals whatever is
   * pending, due or not) anything at all, or a seal lost to another instance that is to be tried again.
   */
  private async step(final = false): Promise<boolean> {
    await this.chain.refresh();
    const last = this.chain.lastSeal();
    if (!sameSeal(last, this.cursor.lastSeal)) this.cursor.resync(last);
    await this.cursor.catchUp();
    if (!final && !this.cursor.full && Date.now() < this.chain.dueAt()) return false;
    if (!this.cursor.hasSubstance) return false;
    if (!this.keyPublished) {
      await publishSigningKey(this.store, this.key);
      this.keyPublished = true;
    }
    const outcome = await this.cursor.seal(new Date());
    if (outcome.kind === 'sealed') {
      this.log.info({ seal: outcome.seal.index, events: outcome.count, toPosition: outcome.seal.toPosition.toString() }, 'audit period sealed');
      await this.chain.refresh();
      return final || this.cursor.full;
    }
    if (outcome.kind === 'lost') {
      await this.chain.refresh();
      this.cursor.resync(this.chain.lastSeal());
    }
    return final;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
