import {
  FeaturePlan,
  withSortedKeys,
  type ModelSnapshot,
  type ModelVersionRegisteredV1,
} from '@verdict/domain';
import type { ModelRuntime } from '@verdict/model-runtime';

/**
 * A registered model version loaded for deciding: its session, its feature plan and the snapshot every decision
 * records. Reference-counted: routing tables and requests in flight hold references, and the session is released
 * only when the last one lets go, so a request always finishes on the session it started on.
 */
export class LoadedModel {
  private references = 0;
  private closing: Promise<void> | undefined;
  readonly snapshot: ModelSnapshot;
  /**
   * The feature names and the explanation's baseline as every decision records them: canonical (withSortedKeys), so
   * decide puts these very arrays in each event instead of copies. Never written: every event of this model holds
   * them. (Not frozen: JSON.stringify writes a frozen array more slowly, and every decision writes these.) The rows are
   * built from the plan and the runtime's frozen baseline, never from these.
   */
  readonly recorded: { readonly featureNames: readonly string[]; readonly baseline: readonly number[] };

  constructor(
    readonly registered: ModelVersionRegisteredV1,
    readonly runtime: ModelRuntime,
    readonly plan: FeaturePlan,
    /** Called synchronously when the last reference goes, before the session closes: nobody may acquire it again. */
    private readonly onReleased: (model: LoadedModel) => void,
    /** Why it failed its trial batch, when it was loaded anyway (ModelLoader's 'warn': a version in force already). */
    readonly trialFailure?: string,
  ) {
    const d = runtime.descriptor;
    // Sorted keys: recorded in every decision, whose canonical JSON then copies nothing.
    this.snapshot = Object.freeze(withSortedKeys({
      name: registered.name,
      version: registered.version,
      sha256: d.sha256,
      inputName: d.inputName,
      outputNames: [...d.outputNames],
      scoreOutput: d.scoreOutput,
      runtime: {
        name: d.runtime.name,
        version: d.runtime.version,
        executionProviders: [...d.runtime.executionProviders],
        sessionOptions: d.runtime.sessionOptions,
      },
    }));
    this.recorded = { featureNames: withSortedKeys([...plan.names]), baseline: withSortedKeys([...d.baseline]) };
  }

  get baseline(): readonly number[] {
    return this.runtime.descriptor.baseline;
  }

  get refs(): number {
    return this.references;
  }

  retain(): void {
    if (this.closing) throw new Error(`${this.registered.name}@${this.registered.version} is already released`);
    this.references++;
  }

  /** Drops one reference; the last one closes the session (after its runs in flight, which close() awaits). */
  release(): void {
    this.references--;
    if (this.references === 0) {
      this.onReleased(this);
      this.closing = this.runtime.close();
    }
  }

  /** Resolves once the session is closed (for shutdown and tests). */
  closed(): Promise<void> {
    return this.closing ?? Promise.resolve();
  }
}
