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
   * Stops the loop. With `finalSealBy` (a Date.now() deadline) it then seals what is pending, due or not, so that a
   * clean stop leaves every event committed before it under a seal (docs/operations.md); what the deadline leaves
   * out, the next start seals (it resumes from the last seal). A failing store is logged, not thrown: the stop goes on.
   */
  async stop(finalSealBy?: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (finalSealBy === undefined) return;
    try {
      while (Date.now() < finalSealBy) if (!(await this.step(true))) return;
      this.log.info({ sealedThrough: this.cursor.lastSeal?.toPosition.toString() ?? null }, 'audit sealer: stopped before sealing every event; the next start seals the rest');
    } catch (error) {
      this.log.error({ err: error }, 'audit sealer: the last seal before stopping failed; the next start seals what it left');
    }
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
