/**
 * One supervision rule for every long-lived part of Verdict that can die on its own (a worker thread, a loop): when
 * it dies it is started again after a delay that doubles from `initialDelayMs` up to `maxDelayMs`; after
 * `maxAttempts` restarts in a row that did not bring it back for good it is given up on (`failed`), which liveness reports so that the orchestrator
 * restarts the process. A life that lasted `stableAfterMs` resets the count, so a rare crash never adds up to
 * giving up, while a crash loop (starts, dies at once) does.
 */
export interface RestartPolicy {
  /** Delay before the first restart. @defaultValue 100 */
  readonly initialDelayMs: number;
  /** Longest delay between two attempts. @defaultValue 5000 */
  readonly maxDelayMs: number;
  /**
   * Restarts tried in a row without a healthy life before giving up: a restart that fails to start, or whose life
   * ends before stableAfterMs, counts. @defaultValue 5
   */
  readonly maxAttempts: number;
  /** A life at least this long counts as healthy and resets the attempts. @defaultValue 30000 */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 5, stableAfterMs: 30_000 };

/** `starting`: first start; `up`: running; `restarting`: dead, a restart is due; `failed`: given up; `stopped`: closed. */
export type ComponentState = 'starting' | 'up' | 'restarting' | 'failed' | 'stopped';

export interface SupervisedStatus {
  readonly component: string;
  readonly state: ComponentState;
  /** Restarts that brought the component back. */
  readonly restarts: number;
  /** Deaths and failed starts in a row so far, with no healthy life between them. */
  readonly attempts: number;
  /** Why it last died (or why it cannot start), while it is not up. */
  readonly lastError?: string;
}

export type SupervisionEvent = 'died' | 'restarted' | 'gave-up' | 'close-failed';

export interface SupervisorOptions<T> {
  /** Starts one life of the component; rejects if it cannot. */
  readonly launch: () => Promise<T>;
  /** Ends a life (on stop, or a life that came up after stop was asked). */
  readonly close: (instance: T) => Promise<void>;
  /**
   * Ends what is left of a dead life before the next one starts (a thread whose work failed but which still runs and
   * holds its connections). Its failure is reported ('close-failed'); the next life starts anyway.
   */
  readonly retire?: (dead: T) => Promise<void>;
  readonly policy?: Partial<RestartPolicy>;
  /** Told of each death, restart and giving up, and of a dead or unwanted life that could not be closed (for logs). */
  readonly report?: (event: SupervisionEvent, status: SupervisedStatus, error?: Error) => void;
}

/** Delay before restart attempt `attempt` (1-based): doubling from initialDelayMs, capped at maxDelayMs. */
export function restartDelayMs(policy: RestartPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

export class Supervisor<T> {
  private readonly policy: RestartPolicy;
  private instance: T | undefined;
  private state: ComponentState = 'starting';
  private restarts = 0;
  private attempts = 0;
  private lastError: Error | undefined;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private launching: Promise<void> | undefined;
  private retiring: Promise<void> | undefined;

  constructor(
    readonly component: string,
    private readonly options: SupervisorOptions<T>,
  ) {
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.policy };
  }

  /** The first life. A component that cannot start at all fails the caller (the engine then does not start). */
  async start(): Promise<T> {
    const instance = await this.options.launch();
    this.up(instance);
    return instance;
  }

  /** The running life, or undefined while the component is restarting, failed or stopped. */
  get current(): T | undefined {
    return this.instance;
  }

  /** Why the component was given up on; undefined unless `failed`. */
  get failure(): Error | undefined {
    return this.state === 'failed' ? this.lastError : undefined;
  }

  status(): SupervisedStatus {
    const base = { component: this.component, state: this.state, restarts: this.restarts, attempts: this.attempts };
    return this.state !== 'up' && this.lastError ? { ...base, lastError: this.lastError.message } : base;
  }

  /** `instance` died. A report about a life already replaced (or after stop) is ignored. */
  crashed(instance: T, error: Error): void {
    if (instance !== this.instance || this.state !== 'up') return;
    this.instance = undefined;
    // A life that lasted counts as healthy: its death starts a fresh count.
    if (Date.now() - this.startedAt >= this.policy.stableAfterMs) this.attempts = 0;
    this.retiring = this.options.retire?.(instance).catch((e: unknown) => this.closeFailed(e));
    this.options.report?.('died', this.status(), error);
    this.retry(error);
  }

  /** No more restarts; closes the running life (or one still coming up). */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.retiring;
    await this.launching;
    const instance = this.instance;
    this.instance = undefined;
    if (instance !== undefined) await this.options.close(instance);
  }

  private retry(error: Error): void {
    this.lastError = error;
    this.attempts++;
    if (this.attempts > this.policy.maxAttempts) {
      this.state = 'failed';
      this.options.report?.('gave-up', this.status(), error);
      return;
    }
    this.state = 'restarting';
    // Unref'd: a pending restart never keeps a process alive on its own.
    this.timer = setTimeout(() => (this.launching = this.relaunch()), restartDelayMs(this.policy, this.attempts));
    this.timer.unref();
  }

  private async relaunch(): Promise<void> {
    let instance: T;
    try {
      await this.retiring;
      if (this.state !== 'restarting') return;
      instance = await this.options.launch();
    } catch (e) {
      if (this.state === 'restarting') this.retry(e instanceof Error ? e : new Error(String(e)));
      return;
    } finally {
      this.launching = undefined;
    }
    if (this.state !== 'restarting') {
      await this.options.close(instance).catch((e: unknown) => this.closeFailed(e)); // stopped meanwhile: not wanted
      return;
    }
    this.restarts++;
    this.up(instance);
    this.options.report?.('restarted', this.status());
  }

  private closeFailed(e: unknown): void {
    this.options.report?.('close-failed', this.status(), e instanceof Error ? e : new Error(String(e)));
  }

  private up(instance: T): void {
    this.instance = instance;
    this.state = 'up';
    this.startedAt = Date.now();
  }
}
